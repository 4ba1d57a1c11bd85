package dev.sqsworker.dlq.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ThrottleTest {

  @Test
  void spacesPermitsEvenlyAtTheRequestedRate() {
    RateLimiterConfig config = Throttle.config(50);
    assertThat(config.getLimitForPeriod()).isEqualTo(1);
    assertThat(config.getLimitRefreshPeriod()).isEqualTo(Duration.ofMillis(20));
  }

  @Test
  void supportsRatesBelowOnePerSecond() {
    assertThat(Throttle.config(0.5).getLimitRefreshPeriod()).isEqualTo(Duration.ofSeconds(2));
  }
}
