package dev.sqsworker.samples.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class LocalDemoIT {

  @Test
  void accountsForEveryMessageAndEndsWithTheSummaryLine() {
    var bytes = new ByteArrayOutputStream();
    var out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    DemoSummary summary = new LocalDemo(new DemoOptions(60, false), out).run();

    assertThat(summary.sent()).isEqualTo(60);
    assertThat(summary.lost()).isZero();
    // 60 messages: 3 malformed and 3 invalid go to the DLQ, the rest (flaky ones included)
    // complete.
    assertThat(summary.deadLettered()).isEqualTo(6);
    assertThat(summary.completed()).isEqualTo(54);
    String[] lines = bytes.toString(StandardCharsets.UTF_8).strip().split("\n");
    assertThat(lines[lines.length - 1])
        .isEqualTo(
            "DEMO-SUMMARY {\"sent\":60,\"completed\":54,\"duplicatesSkipped\":0,"
                + "\"deadLettered\":6,\"replayed\":0,\"artifacts\":0,\"lost\":0}");
    assertThat(bytes.toString(StandardCharsets.UTF_8))
        .contains("of which DECODE", "of which NON_RETRYABLE");
  }
}
