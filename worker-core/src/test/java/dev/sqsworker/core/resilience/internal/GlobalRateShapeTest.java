package dev.sqsworker.core.resilience.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class GlobalRateShapeTest {

  @Test
  void noWindowOfThePeriodSeesMoreThanTheLimit_holdIncluded() {
    for (int permits : new int[] {2, 3, 9, 10, 50, 51, 1000, 1_000_000}) {
      for (Duration period : new Duration[] {Duration.ofMillis(100), Duration.ofSeconds(1)}) {
        GlobalRateShape shape = GlobalRateShape.of(permits, period);
        // Permits taken within period + hold, seen by the downstream with delays that differ by
        // up to one more hold: capacity + rate x (period + 2 hold).
        double worst =
            shape.capacity()
                + shape.refillTokens()
                    * (double) period.plus(shape.hold().multipliedBy(2)).toNanos()
                    / shape.refillPeriod().toNanos();
        assertThat(worst).as(permits + " per " + period).isLessThanOrEqualTo(permits);
        assertThat(shape.capacity()).isBetween(1, GlobalRateShape.MAX_BATCH);
      }
    }
  }

  @Test
  void fiftyPerSecond_batchesOfTen_steadyRateJustBelowTheLimit() {
    GlobalRateShape shape = GlobalRateShape.of(50, Duration.ofSeconds(1));

    assertThat(shape.capacity()).isEqualTo(10);
    assertThat(shape.hold()).isEqualTo(Duration.ofMillis(50));
    assertThat(shape.steadyRatePerSecond()).isBetween(36.3, 36.4);
  }

  @Test
  void oneSinglePermit_isRefused() {
    assertThatThrownBy(() -> GlobalRateShape.of(1, Duration.ofSeconds(1)))
        .hasMessageContaining("at least 2 permits");
  }
}
