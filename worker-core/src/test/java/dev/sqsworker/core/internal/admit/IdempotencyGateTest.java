package dev.sqsworker.core.internal.admit;

import static dev.sqsworker.core.internal.message.MessageBuilder.aMessage;
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
    assertThat(gate).isInstanceOf(NoIdempotencyGate.class);
    assertThat(gate.unavailableReason()).isNull();
    assertThat(gate.transactional()).isFalse();
    var m = aMessage().build();
    assertThat(gate.complete(null, m)).isTrue();
    assertThat(gate.complete(m)).isCompletedWithValue(true);
    assertThat(gate.extend(java.util.List.of(m), m.receivedAt())).isEmpty();
  }

  @Test
  void withoutIdempotencyOnlyHandlerRunsCountAsAttempts() {
    IdempotencyGate gate = IdempotencyGate.none();
    var m = aMessage().withId("m-1").withReceiveCount(7).build();
    assertThat(gate.claimState(m).attemptOr(m.receiveCount())).isEqualTo(1);
    gate.ran(m);
    gate.ran(m);
    assertThat(gate.claimState(m).attemptOr(m.receiveCount())).isEqualTo(3);
    gate.forget(m);
    assertThat(gate.claimState(m).attemptOr(m.receiveCount())).isEqualTo(1);
  }

  @Test
  void theRunCountForgetsTheLeastRecentlyUsedFirst() {
    IdempotencyGate gate = new NoIdempotencyGate(2);
    var a = aMessage().withId("a").build();
    var b = aMessage().withId("b").build();
    var c = aMessage().withId("c").build();
    gate.ran(a);
    gate.ran(b);
    gate.ran(c);
    assertThat(gate.claimState(a).attemptOr(1)).isEqualTo(1);
    assertThat(gate.claimState(c).attemptOr(1)).isEqualTo(2);
  }
}
