package dev.sqsworker.core.resilience.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sqsworker.core.resilience.HttpStatusException;
import io.github.resilience4j.core.functions.Either;
import java.io.IOException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class RetryWaitTest {

  private static RetryWait withRandom(double value) {
    return new RetryWait(Duration.ofMillis(100), Duration.ofSeconds(2), () -> value);
  }

  @Test
  void fullJitterCeilingDoublesUpToTheCap() {
    RetryWait top = withRandom(0.999_999);
    assertThat(top.jitter(1)).isEqualTo(99);
    assertThat(top.jitter(2)).isEqualTo(199);
    assertThat(top.jitter(4)).isEqualTo(799);
    assertThat(top.jitter(6)).isEqualTo(1999);
    assertThat(top.jitter(60)).isEqualTo(1999);
  }

  @Test
  void fullJitterReachesDownToZero() {
    assertThat(withRandom(0).jitter(5)).isZero();
    assertThat(withRandom(0.5).jitter(3)).isEqualTo(200);
  }

  @Test
  void aRetryAfterReplacesTheBackoff() {
    Either<Throwable, Object> throttled =
        Either.left(new HttpStatusException(429, Duration.ofMillis(1500), "slow down"));
    assertThat(withRandom(0.5).apply(1, throttled)).isEqualTo(1500L);
    Either<Throwable, Object> failed = Either.left(new IOException("reset"));
    assertThat(withRandom(0.5).apply(1, failed)).isEqualTo(50L);
  }
}
