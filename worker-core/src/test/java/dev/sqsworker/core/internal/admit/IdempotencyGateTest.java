package dev.sqsworker.core.internal.admit;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class IdempotencyGateTest {

  @Test
  void payloadHashIsSha256Hex() {
    assertThat(StoreGate.hash("abc"))
        .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  }

  @Test
  void withoutIdempotencyTheGateClaimsNothingAndIsAlwaysAvailable() {
    IdempotencyGate gate = IdempotencyGate.of(null, null, null, null);
    assertThat(gate).isSameAs(IdempotencyGate.none());
    assertThat(gate.unavailableReason()).isNull();
    assertThat(gate.transactional()).isFalse();
    assertThat(gate.complete(null, null)).isTrue();
    assertThat(gate.complete(null)).isCompleted();
  }
}
