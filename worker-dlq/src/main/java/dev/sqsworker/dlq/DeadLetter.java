package dev.sqsworker.dlq;

import dev.sqsworker.core.FailureReason;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;

/**
 * One message in a dead-letter queue, as read from SQS.
 *
 * @param messageId the message's id in the dead-letter queue (stable across receives)
 * @param body the body, exactly as stored
 * @param attributes every message attribute, including {@value FailureReason#ATTRIBUTE}
 * @param failureReason the parsed failure reason; empty when the attribute is missing or invalid
 * @param messageGroupId the FIFO message group id, or {@code null} on a standard queue
 * @param deduplicationId the FIFO deduplication id, or {@code null} on a standard queue
 * @param receiveCount how many times the message was received from the dead-letter queue
 * @param sentAt when the message was sent to the queue it is in (or, after a native redrive, to the
 *     queue it first was in)
 */
public record DeadLetter(
    String messageId,
    String body,
    Map<String, MessageAttributeValue> attributes,
    Optional<FailureReason> failureReason,
    String messageGroupId,
    String deduplicationId,
    int receiveCount,
    Instant sentAt) {

  /** Checks the required parts and freezes the attributes. */
  public DeadLetter {
    Objects.requireNonNull(messageId, "messageId");
    Objects.requireNonNull(body, "body");
    Objects.requireNonNull(failureReason, "failureReason");
    Objects.requireNonNull(sentAt, "sentAt");
    attributes = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(attributes));
  }

  /** When the message last failed: the failure reason's time, or else when it was sent. */
  public Instant failedAt() {
    return failureReason.map(FailureReason::lastFailureAt).orElse(sentAt);
  }

  /** How long ago the message last failed, as of {@code now}; never negative. */
  public Duration age(Instant now) {
    Duration age = Duration.between(failedAt(), now);
    return age.isNegative() ? Duration.ZERO : age;
  }

  /** The user's attributes: all of them except {@value FailureReason#ATTRIBUTE}. */
  public Map<String, MessageAttributeValue> userAttributes() {
    Map<String, MessageAttributeValue> user = new LinkedHashMap<>(attributes);
    user.remove(FailureReason.ATTRIBUTE);
    return user;
  }

  /** The value of a String or Number attribute, if the message has it. */
  public Optional<String> attributeText(String name) {
    MessageAttributeValue value = attributes.get(name);
    return value == null ? Optional.empty() : Optional.ofNullable(value.stringValue());
  }
}
