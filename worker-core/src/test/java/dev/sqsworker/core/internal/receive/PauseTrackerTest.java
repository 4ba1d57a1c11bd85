package dev.sqsworker.core.internal.receive;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class PauseTrackerTest {

  private final AtomicLong nanos = new AtomicLong(1_000);
  private final List<Long> periods = new ArrayList<>();
  private final PauseTracker tracker = new PauseTracker(nanos::get, periods::add);

  @Test
  void aPeriodRunsFromTheFirstReasonUntilNoneIsLeft() {
    assertThat(tracker.observe(null)).isNull();
    assertThat(tracker.observe("circuit breaker payments is OPEN"))
        .isEqualTo("circuit breaker payments is OPEN");
    nanos.addAndGet(500);
    tracker.observe("circuit breaker payments is OPEN");
    nanos.addAndGet(700);
    tracker.observe("idempotency store down");
    assertThat(periods).isEmpty();
    nanos.addAndGet(300);
    tracker.observe(null);
    tracker.observe(null);
    assertThat(periods).containsExactly(1_500L);
  }

  @Test
  void eachPauseIsItsOwnPeriod() {
    tracker.observe("a");
    nanos.addAndGet(10);
    tracker.observe(null);
    nanos.addAndGet(100);
    tracker.observe("b");
    nanos.addAndGet(20);
    tracker.observe(null);
    assertThat(periods).containsExactly(10L, 20L);
  }
}
