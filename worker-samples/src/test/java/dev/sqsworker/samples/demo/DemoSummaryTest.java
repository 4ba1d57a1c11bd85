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
    Set<String> completed = Set.of("o-0", "o-1", "o-2");
    DemoSummary summary =
        DemoSummary.account(
            workload, completed, List.of(Message.builder().body(malformed).build()));
    assertThat(summary.completed()).isEqualTo(3);
    assertThat(summary.deadLettered()).isEqualTo(1);
    assertThat(summary.lost()).isEqualTo(16);
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
