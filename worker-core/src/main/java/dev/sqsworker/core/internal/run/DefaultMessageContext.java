package dev.sqsworker.core.internal.run;

import dev.sqsworker.core.MessageContext;
import dev.sqsworker.core.internal.message.InFlightMessage;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;

/** The {@link MessageContext} of one in-flight message. */
public final class DefaultMessageContext implements MessageContext {

  /** The W3C trace context attribute. */
  static final String TRACEPARENT = "traceparent";

  private final InFlightMessage inFlight;
  private final String queueUrl;
  private final int attempt;
  private final int maxAttempts;
  private final String idempotencyKey;

  /** Built on first use: most handlers never read them. */
  private Map<String, String> attributes;

  private final java.sql.Connection transaction;

  DefaultMessageContext(
      InFlightMessage inFlight,
      String queueUrl,
      int attempt,
      int maxAttempts,
      String idempotencyKey,
      java.sql.Connection transaction) {
    this.inFlight = inFlight;
    this.transaction = transaction;
    this.queueUrl = queueUrl;
    this.attempt = attempt;
    this.maxAttempts = maxAttempts;
    this.idempotencyKey = idempotencyKey;
  }

  static Map<String, String> stringAttributes(Message message) {
    Map<String, String> values = new HashMap<>();
    message
        .messageAttributes()
        .forEach(
            (name, value) -> {
              if (value.stringValue() != null) {
                values.put(name, value.stringValue());
              }
            });
    return Map.copyOf(values);
  }

  @Override
  public String messageId() {
    return inFlight.messageId();
  }

  @Override
  public String queueUrl() {
    return queueUrl;
  }

  @Override
  public int receiveCount() {
    return inFlight.receiveCount();
  }

  @Override
  public int attempt() {
    return attempt;
  }

  @Override
  public int maxAttempts() {
    return maxAttempts;
  }

  @Override
  public Map<String, String> attributes() {
    Map<String, String> built = attributes;
    if (built == null) {
      // An immutable map: a second thread building it too gets an equal one.
      built = stringAttributes(inFlight.message());
      attributes = built;
    }
    return built;
  }

  @Override
  public Instant sentTimestamp() {
    String sent = inFlight.systemAttribute(MessageSystemAttributeName.SENT_TIMESTAMP);
    return sent == null ? inFlight.receivedAt() : Instant.ofEpochMilli(Long.parseLong(sent));
  }

  @Override
  public Optional<String> messageGroupId() {
    return Optional.ofNullable(
        inFlight.systemAttribute(MessageSystemAttributeName.MESSAGE_GROUP_ID));
  }

  @Override
  public Optional<String> traceHeader() {
    return Optional.ofNullable(traceHeaderOf(inFlight));
  }

  /** The X-Ray trace header, else the W3C traceparent attribute, else null. */
  public static String traceHeaderOf(InFlightMessage m) {
    String xray = m.systemAttribute(MessageSystemAttributeName.AWS_TRACE_HEADER);
    if (xray != null) {
      return xray;
    }
    MessageAttributeValue traceparent = m.message().messageAttributes().get(TRACEPARENT);
    return traceparent == null ? null : traceparent.stringValue();
  }

  @Override
  public Optional<String> idempotencyKey() {
    return Optional.ofNullable(idempotencyKey);
  }

  @Override
  public Optional<java.sql.Connection> transaction() {
    return Optional.ofNullable(transaction);
  }

  @Override
  public Instant deadline() {
    return inFlight.handlingDeadline();
  }

  @Override
  public boolean isCancelled() {
    return inFlight.cancelled();
  }

  @Override
  public String toString() {
    return "MessageContext{id="
        + messageId()
        + ", queue="
        + queueUrl
        + ", attempt="
        + attempt
        + "}";
  }
}
