package dev.sqsworker.core.internal.admit;

import dev.sqsworker.core.NonRetryableException;
import dev.sqsworker.core.idempotency.Idempotency;
import dev.sqsworker.core.internal.message.InFlightMessage;
import java.nio.charset.StandardCharsets;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;

/**
 * Finds a message's idempotency key (the key function, else the key attribute, else the FIFO
 * deduplication id, else the message id) and checks that the store can keep it, so one bad key
 * never fails the claim statement of its whole batch.
 */
final class KeyResolver {

  /** Longest key, in UTF-8 bytes: well inside PostgreSQL's B-tree entry limit. */
  static final int MAX_KEY_BYTES = 1024;

  private final Idempotency idempotency;

  KeyResolver(Idempotency idempotency) {
    this.idempotency = idempotency;
  }

  /**
   * The message's key.
   *
   * @throws NonRetryableException naming the message when the key function throws, or the key holds
   *     a NUL character or is longer than {@link #MAX_KEY_BYTES}
   */
  String keyOf(InFlightMessage m) {
    String key;
    try {
      key = resolve(m);
    } catch (RuntimeException e) {
      throw new NonRetryableException(
          "the idempotency key of message " + m.messageId() + " could not be found: " + e, e);
    }
    if (key.indexOf('\0') >= 0) {
      throw new NonRetryableException(
          "the idempotency key of message " + m.messageId() + " contains a NUL character");
    }
    int bytes = key.getBytes(StandardCharsets.UTF_8).length;
    if (bytes > MAX_KEY_BYTES) {
      throw new NonRetryableException(
          "the idempotency key of message "
              + m.messageId()
              + " is "
              + bytes
              + " bytes long, more than "
              + MAX_KEY_BYTES);
    }
    return key;
  }

  private String resolve(InFlightMessage m) {
    String fromPayload = idempotency.keyOf(m.payload());
    if (fromPayload != null && !fromPayload.isBlank()) {
      return fromPayload;
    }
    MessageAttributeValue attribute =
        m.message().messageAttributes().get(idempotency.keyAttribute());
    if (attribute != null
        && attribute.stringValue() != null
        && !attribute.stringValue().isBlank()) {
      return attribute.stringValue();
    }
    String dedup = m.systemAttribute(MessageSystemAttributeName.MESSAGE_DEDUPLICATION_ID);
    return dedup != null ? dedup : m.messageId();
  }
}
