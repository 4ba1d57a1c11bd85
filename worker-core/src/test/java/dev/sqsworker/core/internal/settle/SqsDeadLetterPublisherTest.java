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

  @Test
  void theTraceContextIsNotAmongTheAttributesDroppedForTheReason() {
    Map<String, MessageAttributeValue> ten = new HashMap<>();
    for (int i = 0; i < 9; i++) {
      ten.put("attr" + i, text("v" + i));
    }
    ten.put("traceparent", text("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"));
    Message message = Message.builder().messageId("id-6").body("x").messageAttributes(ten).build();
    SendMessageRequest request =
        new SqsDeadLetterPublisher(null, "http://h/1/dlq").request(message, REASON);
    assertThat(request.messageAttributes())
        .hasSize(10)
        .containsKeys(FailureReason.ATTRIBUTE, "traceparent")
        .doesNotContainKey("attr8");
  }

  private static int copySize(SendMessageRequest request) {
    return request.messageBody().getBytes(java.nio.charset.StandardCharsets.UTF_8).length
        + SqsDeadLetterPublisher.size(request.messageAttributes());
  }

  @Test
  void aLongReasonIsShortenedSoTheCopyFitsTheDlqLimit() {
    String body = "b".repeat(1500);
    FailureReason longReason =
        new FailureReason(
            FailureKind.NON_RETRYABLE,
            "q",
            "E",
            "é\"x".repeat(300),
            "f",
            1,
            null,
            Instant.EPOCH,
            "w");
    Message message =
        Message.builder()
            .messageId("id-4")
            .body(body)
            .messageAttributes(Map.of("tenant", text("acme")))
            .build();
    SendMessageRequest request =
        new SqsDeadLetterPublisher(null, "http://h/1/dlq", 2048).request(message, longReason);
    assertThat(copySize(request)).isLessThanOrEqualTo(2048);
    assertThat(request.messageAttributes()).containsKey("tenant");
    FailureReason sent =
        FailureReason.fromJson(
            request.messageAttributes().get(FailureReason.ATTRIBUTE).stringValue());
    assertThat(sent.errorMessage()).endsWith("…").startsWith("é\"x");
    assertThat(sent.kind()).isEqualTo(FailureKind.NON_RETRYABLE);
  }

  @Test
  void userAttributesAreDroppedWithANoteWhenShorteningIsNotEnough() {
    Map<String, MessageAttributeValue> big = new HashMap<>();
    big.put("blob", text("v".repeat(1500)));
    big.put("tenant", text("acme"));
    Message message =
        Message.builder().messageId("id-5").body("b".repeat(600)).messageAttributes(big).build();
    SendMessageRequest request =
        new SqsDeadLetterPublisher(null, "http://h/1/dlq", 2048).request(message, REASON);
    assertThat(copySize(request)).isLessThanOrEqualTo(2048);
    assertThat(request.messageAttributes()).containsOnlyKeys(FailureReason.ATTRIBUTE);
    assertThat(
            FailureReason.fromJson(
                    request.messageAttributes().get(FailureReason.ATTRIBUTE).stringValue())
                .errorMessage())
        .contains("[blob, tenant]")
        .contains("dropped");
  }

  @Test
  void aCopyThatFitsIsLeftAlone() {
    Message message = Message.builder().messageId("id-6").body("x").build();
    SendMessageRequest request =
        new SqsDeadLetterPublisher(null, "http://h/1/dlq", 2048).request(message, REASON);
    assertThat(
            FailureReason.fromJson(
                request.messageAttributes().get(FailureReason.ATTRIBUTE).stringValue()))
        .isEqualTo(REASON);
  }

  @Test
  void theStackTraceIsDroppedBeforeTheMessageIsShortened() {
    FailureReason traced =
        new FailureReason(
            FailureKind.NON_RETRYABLE,
            "q",
            "E",
            "the whole message",
            "f",
            1,
            null,
            Instant.EPOCH,
            "w",
            java.util.Collections.nCopies(16, "at com.example.Deep.frame(Deep.java:1)"));
    Message message = Message.builder().messageId("id-7").body("b".repeat(1500)).build();
    SendMessageRequest request =
        new SqsDeadLetterPublisher(null, "http://h/1/dlq", 2048).request(message, traced);
    assertThat(copySize(request)).isLessThanOrEqualTo(2048);
    FailureReason sent =
        FailureReason.fromJson(
            request.messageAttributes().get(FailureReason.ATTRIBUTE).stringValue());
    assertThat(sent.stackTrace()).isNull();
    assertThat(sent.errorMessage()).isEqualTo("the whole message");
    // With room, the stack trace travels.
    SendMessageRequest roomy =
        new SqsDeadLetterPublisher(null, "http://h/1/dlq", 262_144).request(message, traced);
    assertThat(
            FailureReason.fromJson(
                    roomy.messageAttributes().get(FailureReason.ATTRIBUTE).stringValue())
                .stackTrace())
        .hasSize(16);
  }
}
