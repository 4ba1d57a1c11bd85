package dev.sqsworker.dlq.internal;

import static dev.sqsworker.dlq.Letters.aDeadLetter;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sqsworker.core.FailureReason;
import dev.sqsworker.dlq.DeadLetter;
import dev.sqsworker.dlq.DeadLetterQueues;
import org.junit.jupiter.api.Test;

class ReplayMessageTest {

  @Test
  void dropsTheFailureReasonAndCountsTheReplay() {
    DeadLetter letter = aDeadLetter().body("b").attribute("tenant", "acme").build();

    Outgoing outgoing = Replayer.replayOf(letter, false);

    assertThat(outgoing.body()).isEqualTo("b");
    assertThat(outgoing.attributes()).doesNotContainKey(FailureReason.ATTRIBUTE);
    assertThat(outgoing.attributes().get("tenant").stringValue()).isEqualTo("acme");
    assertThat(outgoing.attributes().get(DeadLetterQueues.REPLAY_COUNT_ATTRIBUTE).stringValue())
        .isEqualTo("1");
    assertThat(outgoing.attributes().get(DeadLetterQueues.REPLAY_COUNT_ATTRIBUTE).dataType())
        .isEqualTo("Number");
    assertThat(outgoing.groupId()).isNull();
    assertThat(outgoing.deduplicationId()).isNull();
  }

  @Test
  void keepsTheProducersTraceContext() {
    String traceparent = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
    DeadLetter letter =
        aDeadLetter().attribute("traceparent", traceparent).attribute("tracestate", "k=v").build();

    Outgoing outgoing = Replayer.replayOf(letter, false);

    assertThat(outgoing.attributes().get("traceparent").stringValue()).isEqualTo(traceparent);
    assertThat(outgoing.attributes().get("tracestate").stringValue()).isEqualTo("k=v");
  }

  @Test
  void aMessageReplayedBeforeCountsOnFromItsCounter() {
    DeadLetter letter =
        aDeadLetter().attribute(DeadLetterQueues.REPLAY_COUNT_ATTRIBUTE, "2").build();

    Outgoing outgoing = Replayer.replayOf(letter, false);

    assertThat(outgoing.attributes().get(DeadLetterQueues.REPLAY_COUNT_ATTRIBUTE).stringValue())
        .isEqualTo("3");
  }

  @Test
  void onAFifoDestinationKeepsTheGroupAndDerivesTheDeduplicationIdFromTheDeadLetter() {
    DeadLetter letter = aDeadLetter().group("customer-7").build();

    Outgoing first = Replayer.replayOf(letter, true);
    Outgoing again = Replayer.replayOf(letter, true);

    assertThat(first.groupId()).isEqualTo("customer-7");
    assertThat(first.deduplicationId())
        .isEqualTo("replay-1-" + letter.messageId())
        .isNotEqualTo(letter.deduplicationId())
        .isEqualTo(again.deduplicationId());
  }
}
