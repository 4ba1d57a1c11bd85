package dev.sqsworker.testkit.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class FaultScheduleTest {

  private static List<Boolean> outcomes(FaultSchedule schedule, int calls) {
    List<Boolean> ok = new ArrayList<>();
    for (int i = 0; i < calls; i++) {
      try {
        schedule.check();
        ok.add(true);
      } catch (FaultSchedule.InjectedFault e) {
        ok.add(false);
      }
    }
    return ok;
  }

  @Test
  void failsTheChosenCalls() {
    var schedule = FaultSchedule.failCalls(1, 3);
    assertThat(outcomes(schedule, 4)).containsExactly(false, true, false, true);
    assertThat(schedule.calls()).isEqualTo(4);
    assertThat(schedule.failures()).isEqualTo(2);
  }

  @Test
  void failsTheFirstN() {
    assertThat(outcomes(FaultSchedule.failFirst(2), 3)).containsExactly(false, false, true);
  }

  @Test
  void failsEveryNth() {
    assertThat(outcomes(FaultSchedule.failEvery(2), 4)).containsExactly(true, false, true, false);
    assertThatThrownBy(() -> FaultSchedule.failEvery(0))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void failsWhileDown() throws Exception {
    AtomicBoolean down = new AtomicBoolean(true);
    var schedule = FaultSchedule.failWhile(down::get);
    assertThatThrownBy(() -> schedule.call(() -> "x"))
        .isInstanceOf(FaultSchedule.InjectedFault.class)
        .hasMessageContaining("call 1");
    down.set(false);
    assertThat(schedule.call(() -> "x")).isEqualTo("x");
  }
}
