package dev.sqsworker.core.internal.settle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sqsworker.core.BackoffPolicy;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ExponentialBackoffTest {

  @Test
  void ceilingDoublesPerAttemptUpToTheCap() {
    var backoff = new ExponentialBackoff(Duration.ofSeconds(1), Duration.ofSeconds(10), () -> 0.5);
    assertThat(backoff.ceiling(1)).isEqualTo(Duration.ofSeconds(1));
    assertThat(backoff.ceiling(2)).isEqualTo(Duration.ofSeconds(2));
    assertThat(backoff.ceiling(4)).isEqualTo(Duration.ofSeconds(8));
    assertThat(backoff.ceiling(5)).isEqualTo(Duration.ofSeconds(10));
    assertThat(backoff.ceiling(1000)).isEqualTo(Duration.ofSeconds(10));
  }

  @Test
  void fullJitterSpansZeroToTheCeiling() {
    assertThat(
            BackoffPolicy.exponential(Duration.ofSeconds(1), Duration.ofMinutes(1), () -> 0.0)
                .delay(3))
        .isZero();
    assertThat(
            BackoffPolicy.exponential(Duration.ofSeconds(1), Duration.ofMinutes(1), () -> 0.9999999)
                .delay(3))
        .isEqualTo(Duration.ofSeconds(4));
    assertThat(
            BackoffPolicy.exponential(Duration.ofSeconds(1), Duration.ofMinutes(1), () -> 0.5)
                .delay(3))
        .isEqualTo(Duration.ofMillis(2000));
  }

  @Test
  void rejectsNonsense() {
    assertThatThrownBy(() -> BackoffPolicy.exponential(Duration.ZERO, Duration.ofSeconds(1)))
        .hasMessageContaining("base must be positive");
    assertThatThrownBy(
            () -> BackoffPolicy.exponential(Duration.ofSeconds(2), Duration.ofSeconds(1)))
        .hasMessageContaining("cap must be at least the base");
    assertThatThrownBy(
            () -> BackoffPolicy.exponential(Duration.ofSeconds(1), Duration.ofSeconds(2)).delay(0))
        .hasMessageContaining("attempt must be at least 1");
  }
}
