package dev.sqsworker.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
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

  @Test
  void readsThePostgresPortFromTheEnvironment() {
    String[] none = {};
    assertThat(DemoOptions.parse(none, Map.of(DemoOptions.POSTGRES_PORT, "15432")))
        .isEqualTo(new DemoOptions(200, false, 15432));
    assertThat(DemoOptions.parse(none, Map.of())).isEqualTo(new DemoOptions(200, false, 0));
    assertThatThrownBy(() -> DemoOptions.parse(none, Map.of(DemoOptions.POSTGRES_PORT, "0")))
        .hasMessage("SQSWORKER_DEMO_POSTGRES_PORT must be a port between 1 and 65535, was '0'");
  }

  @Test
  void describesAFailureOnOneLineWithItsRootCause() {
    var failure =
        new java.io.UncheckedIOException(
            "Could not start the embedded PostgreSQL server",
            new java.io.IOException("port 5432\nis taken"));
    assertThat(LocalDemo.oneLine(failure))
        .isEqualTo(
            "UncheckedIOException: Could not start the embedded PostgreSQL server"
                + " (caused by IOException: port 5432 is taken)");
    assertThat(LocalDemo.oneLine(new NoClassDefFoundError("org/apache/Foo")))
        .isEqualTo("NoClassDefFoundError: org/apache/Foo");
  }
}
