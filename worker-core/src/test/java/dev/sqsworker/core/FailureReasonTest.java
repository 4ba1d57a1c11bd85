package dev.sqsworker.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class FailureReasonTest {

  private static final Instant T0 = Instant.parse("2026-01-02T03:04:05Z");

  @Test
  void roundTripsThroughJson() {
    var reason =
        new FailureReason(
            FailureKind.NON_RETRYABLE,
            "http://localhost:9324/000000000000/orders",
            "java.lang.IllegalStateException",
            "bad order",
            "a1b2c3d4e5f6",
            2,
            T0,
            T0.plusSeconds(30),
            "worker-1");
    assertThat(FailureReason.fromJson(reason.toJson())).isEqualTo(reason);
    assertThat(reason.toJson()).contains("\"lastFailureAt\":\"2026-01-02T03:04:35Z\"");
  }

  @Test
  void shortensLongMessagesAndDefaultsTheFirstFailure() {
    var reason =
        new FailureReason(FailureKind.EXHAUSTED, "q", "E", "x".repeat(5000), "f", 5, null, T0, "w");
    assertThat(reason.errorMessage()).hasSize(FailureReason.MAX_ERROR_MESSAGE).endsWith("…");
    assertThat(reason.firstFailureAt()).isEqualTo(T0);
  }

  @Test
  void rejectsTextThatIsNotAReason() {
    assertThatThrownBy(() -> FailureReason.fromJson("{not json"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("sqsworker-failure");
  }

  @Test
  void theStackTraceNamesTheCauseChainAndTheRootCausesTopFrames() {
    Exception root = new java.io.IOException("connection reset");
    Exception error =
        new IllegalStateException(
            "tax failed", new java.io.UncheckedIOException("io", (java.io.IOException) root));
    java.util.List<String> trace = FailureReason.stackTraceOf(error);
    assertThat(trace.get(0)).isEqualTo("java.lang.IllegalStateException");
    assertThat(trace.get(1)).isEqualTo("caused by java.io.UncheckedIOException");
    assertThat(trace.get(2)).isEqualTo("caused by java.io.IOException");
    assertThat(trace.subList(3, trace.size()))
        .hasSizeBetween(1, FailureReason.MAX_FRAMES)
        .allMatch(line -> line.startsWith("at "))
        .first()
        .asString()
        .contains("FailureReasonTest");
    FailureReason reason =
        new FailureReason(
            FailureKind.EXHAUSTED,
            "q",
            "E",
            "m",
            "f",
            3,
            null,
            java.time.Instant.EPOCH,
            "w",
            trace);
    assertThat(FailureReason.fromJson(reason.toJson())).isEqualTo(reason);
    // A reason written before stack traces existed still reads.
    assertThat(
            FailureReason.fromJson(
                    "{\"kind\":\"DECODE\",\"sourceQueue\":\"q\",\"lastFailureAt\":\"1970-01-01T00:00:00Z\"}")
                .stackTrace())
        .isNull();
  }
}
