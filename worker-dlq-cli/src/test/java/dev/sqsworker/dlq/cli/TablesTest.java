package dev.sqsworker.dlq.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class TablesTest {

  @Test
  void columnsAreAsWideAsTheirWidestCell() {
    String table =
        Tables.render(
            List.of("COUNT", "KIND"),
            List.of(List.of("3", "DECODE"), List.of("12", "EXHAUSTED")),
            80);

    assertThat(table).isEqualTo("COUNT  KIND\n3      DECODE\n12     EXHAUSTED\n");
  }

  @Test
  void aLongClassNameWrapsWithinTheWidthInsteadOfRunningOver() {
    String longClass = "com.example.payments.gateway.internal.VeryLongPaymentDeclinedException";

    String table =
        Tables.render(
            List.of("COUNT", "ERROR CLASS", "SOURCE"),
            List.of(List.of("12", longClass, "orders")),
            50);

    assertThat(table.lines()).allSatisfy(line -> assertThat(line.length()).isLessThanOrEqualTo(50));
    String wrapped =
        table
            .lines()
            .skip(1)
            .map(line -> line.replace("orders", "").replace("12", "").strip())
            .collect(java.util.stream.Collectors.joining());
    assertThat(wrapped).isEqualTo(longClass);
    // Every column of the row starts on its first line.
    assertThat(table.lines().skip(1).findFirst().orElseThrow()).startsWith("12").endsWith("orders");
  }

  @Test
  void aMissingValueIsADash() {
    assertThat(Tables.render(List.of("A", "B"), List.of(java.util.Arrays.asList("x", null)), 80))
        .isEqualTo("A  B\nx  -\n");
  }
}
