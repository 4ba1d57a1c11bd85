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

    // 60 messages: 48 good, 3 flaky, 3 duplicates, 3 rejected until the fix, 3 malformed.
    assertThat(summary).isEqualTo(new DemoSummary(60, 54, 3, 3, 3, 6, 0));
    String text = bytes.toString(StandardCharsets.UTF_8);
    String[] lines = text.strip().split("\n");
    assertThat(lines[lines.length - 1])
        .isEqualTo(
            "DEMO-SUMMARY {\"sent\":60,\"completed\":54,\"duplicatesSkipped\":3,"
                + "\"deadLettered\":3,\"replayed\":3,\"artifacts\":6,\"lost\":0}");
    assertThat(text)
        .contains("of which DECODE", "Replayed 3 rejected orders", "parked while the tax breaker");
    // The tax service's outage was real: it refused calls, and nothing was lost because of it.
    assertThat(text).containsPattern("The tax service refused [1-9]\\d* calls");
  }
}
