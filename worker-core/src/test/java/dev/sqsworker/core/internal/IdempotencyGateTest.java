package dev.sqsworker.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class IdempotencyGateTest {

  private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

  @Test
  void busyMessagesLookAgainWellBeforeALongLeaseEnds() {
    assertThat(IdempotencyGate.busyDelaySeconds(NOW, NOW.plusSeconds(30))).isEqualTo(10);
    assertThat(IdempotencyGate.busyDelaySeconds(NOW, NOW.plusSeconds(3))).isEqualTo(2);
    assertThat(IdempotencyGate.busyDelaySeconds(NOW, NOW.plusMillis(500))).isEqualTo(2);
    assertThat(IdempotencyGate.busyDelaySeconds(NOW, NOW.minusSeconds(5))).isEqualTo(1);
    assertThat(IdempotencyGate.busyDelaySeconds(NOW, null)).isEqualTo(2);
  }

  @Test
  void payloadHashIsSha256Hex() {
    assertThat(IdempotencyGate.hash("abc"))
        .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  }
}
