package dev.sqsworker.dlq.internal;

import dev.sqsworker.core.FailureReason;
import dev.sqsworker.dlq.DeadLetter;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;

/**
 * A dead letter together with the receipt handle of the receive that returned it.
 *
 * @param letter the message
 * @param receiptHandle the handle to delete it or change its visibility
 */
public record Received(DeadLetter letter, String receiptHandle, String traceHeader) {

  /** Reads an SDK message received with all message and system attributes. */
  public static Received of(Message message) {
    Map<MessageSystemAttributeName, String> system = message.attributes();
    Map<String, MessageAttributeValue> attributes = message.messageAttributes();
    MessageAttributeValue reasonValue = attributes.get(FailureReason.ATTRIBUTE);
    Optional<FailureReason> reason = Optional.empty();
    if (reasonValue != null && reasonValue.stringValue() != null) {
      try {
        reason = Optional.of(FailureReason.fromJson(reasonValue.stringValue()));
      } catch (IllegalArgumentException e) {
        // An unreadable reason is treated as none: the message is still shown and can be moved.
        reason = Optional.empty();
      }
    }
    String sent = system.get(MessageSystemAttributeName.SENT_TIMESTAMP);
    String receives = system.get(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT);
    DeadLetter letter =
        new DeadLetter(
            message.messageId(),
            message.body() == null ? "" : message.body(),
            attributes,
            reason,
            system.get(MessageSystemAttributeName.MESSAGE_GROUP_ID),
            system.get(MessageSystemAttributeName.MESSAGE_DEDUPLICATION_ID),
            receives == null ? 0 : Integer.parseInt(receives),
            sent == null ? Instant.EPOCH : Instant.ofEpochMilli(Long.parseLong(sent)));
    // The X-Ray trace header is a system attribute: kept apart so a replay can send it on.
    return new Received(
        letter, message.receiptHandle(), system.get(MessageSystemAttributeName.AWS_TRACE_HEADER));
  }
}
