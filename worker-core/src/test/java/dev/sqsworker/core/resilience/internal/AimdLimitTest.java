package dev.sqsworker.core.resilience.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class AimdLimitTest {

  private static final long THRESHOLD = TimeUnit.MILLISECONDS.toNanos(100);
  private static final long FAST = TimeUnit.MILLISECONDS.toNanos(20);
  private static final long SLOW = TimeUnit.MILLISECONDS.toNanos(400);

  @Test
  void startsAtTheMaximum() {
    assertThat(new AimdLimit(10, THRESHOLD).limit()).isEqualTo(10);
  }

  @Test
  void slowOrFailedCallsShrinkTheLimitByATenthDownToOne() {
    AimdLimit limit = new AimdLimit(10, THRESHOLD);
    assertThat(limit.onSample(SLOW, 10, false)).isEqualTo(9);
    assertThat(limit.onSample(FAST, 9, true)).isEqualTo(8);
    for (int i = 0; i < 30; i++) {
      limit.onSample(SLOW, 1, false);
    }
    assertThat(limit.limit()).isEqualTo(1);
  }

  @Test
  void fastCallsGrowTheLimitByOneOnlyWhileHalfOfItIsUsed() {
    AimdLimit limit = new AimdLimit(10, THRESHOLD);
    for (int i = 0; i < 10; i++) {
      limit.onSample(SLOW, 1, false);
    }
    assertThat(limit.limit()).isEqualTo(1);
    assertThat(limit.onSample(FAST, 1, false)).isEqualTo(2);
    // One call in flight does not use half of 2... it does; of 3 it does not.
    assertThat(limit.onSample(FAST, 1, false)).isEqualTo(3);
    assertThat(limit.onSample(FAST, 1, false)).isEqualTo(3);
    assertThat(limit.onSample(FAST, 5, false)).isEqualTo(4);
    for (int i = 0; i < 20; i++) {
      limit.onSample(FAST, 10, false);
    }
    assertThat(limit.limit()).isEqualTo(10);
  }
}
