package dev.sqsworker.core.internal.settle;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sqsworker.core.FailureKind;
import dev.sqsworker.core.FailureReason;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeNameForSends;
import software.amazon.awssdk.services.sqs.model.SendMessageRequest;

class SqsDeadLetterPublisherTest {

  private static final FailureReason REASON =
      new FailureReason(FailureKind.NON_RETRYABLE, "q", "E", "m", "f", 1, null, Instant.EPOCH, "w");

  private static MessageAttributeValue text(String value) {
    return MessageAttributeValue.builder().dataType("String").stringValue(value).build();
  }

  @Test
  void keepsBodyAttributesAndTraceAndAddsTheReason() {
    Message message =
        Message.builder()
            .messageId("id-1")
            .body("{\"a\":1}")
            .messageAttributes(Map.of("tenant", text("acme")))
            .attributes(Map.of(MessageSystemAttributeName.AWS_TRACE_HEADER, "Root=1-abc"))
            .build();
    SendMessageRequest request =
        new SqsDeadLetterPublisher(null, "http://h/1/dlq").request(message, REASON);
    assertThat(request.messageBody()).isEqualTo("{\"a\":1}");
    assertThat(request.messageAttributes()).containsKeys("tenant", FailureReason.ATTRIBUTE);
    assertThat(
            FailureReason.fromJson(
                request.messageAttributes().get(FailureReason.ATTRIBUTE).stringValue()))
        .isEqualTo(REASON);
    assertThat(request.messageSystemAttributes())
        .containsKey(MessageSystemAttributeNameForSends.AWS_TRACE_HEADER);
    assertThat(request.messageGroupId()).isNull();
  }

  @Test
  void fifoKeepsTheGroupAndDeduplicatesByMessageId() {
    Message message =
        Message.builder()
            .messageId("id-2")
            .body("x")
            .attributes(Map.of(MessageSystemAttributeName.MESSAGE_GROUP_ID, "g-7"))
            .build();
    SendMessageRequest request =
        new SqsDeadLetterPublisher(null, "http://h/1/dlq.fifo").request(message, REASON);
    assertThat(request.messageGroupId()).isEqualTo("g-7");
    assertThat(request.messageDeduplicationId()).isEqualTo("id-2");
  }

  @Test
  void tenUserAttributesLeaveRoomForTheReason() {
    Map<String, MessageAttributeValue> ten = new HashMap<>();
    for (int i = 0; i < 10; i++) {
      ten.put("attr" + i, text("v" + i));
    }
    Message message = Message.builder().messageId("id-3").body("x").messageAttributes(ten).build();
    SendMessageRequest request =
        new SqsDeadLetterPublisher(null, "http://h/1/dlq").request(message, REASON);
    assertThat(request.messageAttributes()).hasSize(10).containsKey(FailureReason.ATTRIBUTE);
    assertThat(request.messageAttributes()).doesNotContainKey("attr9");
  }
}
