package dev.sqsworker.samples.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.model.Message;

class DemoSummaryTest {

  @Test
  void aMessageFoundNowhereIsCountedLost() {
    Workload workload = Workload.generate(20);
    String malformed = workload.bodies().get(3);
    DemoSummary summary =
        DemoSummary.account(
            workload,
            Set.of("o-0", "o-1", "o-2", "o-14"),
            List.of(Message.builder().body(malformed).build()),
            1,
            0,
            0);
    assertThat(summary.completed()).isEqualTo(4);
    assertThat(summary.deadLettered()).isEqualTo(1);
    // 20 sent: o-0..2, o-14 and its duplicate (message 15) are stored, message 3 is dead: 14 lost.
    assertThat(summary.lost()).isEqualTo(14);
  }

  @Test
  void duplicatesCarryTheBodyAndOrderOfThePreviousMessage() {
    Workload workload = Workload.generate(20);
    assertThat(workload.bodies().get(15)).isEqualTo(workload.bodies().get(14));
    assertThat(workload.orderIdByBody().get(workload.bodies().get(15))).isEqualTo("o-14");
    assertThat(workload.describe())
        .isEqualTo(
            "16 good, 1 flaky (fail once), 1 duplicates, 1 rejected until fixed, 1 malformed");
  }

  @Test
  void optionsAreValidated() {
    assertThat(DemoOptions.parse("--messages", "5", "--quiet")).isEqualTo(new DemoOptions(5, true));
    assertThat(DemoOptions.parse()).isEqualTo(new DemoOptions(200, false));
    assertThatThrownBy(() -> DemoOptions.parse("--messages", "0"))
        .hasMessageContaining("between 1 and 100000");
    assertThatThrownBy(() -> DemoOptions.parse("--fast")).hasMessageContaining("unknown option");
  }
}
