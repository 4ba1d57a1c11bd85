package dev.sqsworker.core.internal.settle;

import dev.sqsworker.core.DeadLetterPublisher;
import dev.sqsworker.core.FailureReason;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeNameForSends;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeValue;
import software.amazon.awssdk.services.sqs.model.SendMessageRequest;

/**
 * Sends a dead message to the dead-letter queue: the same body, the user's attributes, the trace
 * header, and the failure reason as one more attribute. On a FIFO queue it keeps the message group
 * and uses the message id as deduplication id, so a send repeated after a crash is not stored
 * twice.
 */
public final class SqsDeadLetterPublisher implements DeadLetterPublisher {

  /** The W3C trace context attributes, kept on the copy when others must go. */
  private static final java.util.Set<String> TRACE_CONTEXT =
      java.util.Set.of("traceparent", "tracestate");

  /** SQS's limit of message attributes per message. */
  static final int MAX_ATTRIBUTES = 10;

  /** SQS's default {@code MaximumMessageSize}, 256 KiB. */
  public static final int DEFAULT_MAX_MESSAGE_SIZE = 262_144;

  /** Room kept free below the limit for rounding in SQS's own accounting. */
  private static final int SLACK = 64;

  private static final Logger LOG = LoggerFactory.getLogger(SqsDeadLetterPublisher.class);

  private final SqsAsyncClient client;
  private final String dlqUrl;
  private final int maxMessageSize;

  /** Creates the publisher for a dead-letter queue of the default maximum message size. */
  public SqsDeadLetterPublisher(SqsAsyncClient client, String dlqUrl) {
    this(client, dlqUrl, DEFAULT_MAX_MESSAGE_SIZE);
  }

  /**
   * Creates the publisher for a dead-letter queue.
   *
   * @param maxMessageSize the DLQ's {@code MaximumMessageSize}: the copy (body, attribute names,
   *     types and values) is made to fit it
   */
  public SqsDeadLetterPublisher(SqsAsyncClient client, String dlqUrl, int maxMessageSize) {
    this.client = client;
    this.dlqUrl = dlqUrl;
    this.maxMessageSize = maxMessageSize;
  }

  @Override
  public CompletableFuture<Void> publish(Message message, FailureReason reason) {
    return client.sendMessage(request(message, reason)).thenApply(r -> null);
  }

  /** The send request for a dead message. */
  SendMessageRequest request(Message message, FailureReason reason) {
    Map<String, MessageAttributeValue> attributes = new TreeMap<>(message.messageAttributes());
    attributes.remove(FailureReason.ATTRIBUTE);
    if (attributes.size() >= MAX_ATTRIBUTES) {
      // SQS takes ten attributes; the reason is what the DLQ tools need, so it wins the last slot.
      // The trace context is kept too, so a replay continues the producer's trace.
      var dropped =
          new TreeMap<>(attributes)
              .descendingKeySet().stream()
                  .filter(name -> !TRACE_CONTEXT.contains(name))
                  .limit(attributes.size() - (MAX_ATTRIBUTES - 1))
                  .toList();
      dropped.forEach(attributes::remove);
      LOG.warn(
          "Message {} from {} has {} attributes; dropped {} to fit the failure reason",
          message.messageId(),
          reason.sourceQueue(),
          message.messageAttributes().size(),
          dropped);
    }
    reason = fit(message, attributes, reason);
    attributes.put(FailureReason.ATTRIBUTE, text(reason.toJson()));
    SendMessageRequest.Builder send =
        SendMessageRequest.builder()
            .queueUrl(dlqUrl)
            .messageBody(message.body())
            .messageAttributes(attributes);
    String trace = message.attributes().get(MessageSystemAttributeName.AWS_TRACE_HEADER);
    if (trace != null) {
      send.messageSystemAttributes(
          Map.of(
              MessageSystemAttributeNameForSends.AWS_TRACE_HEADER,
              MessageSystemAttributeValue.builder().dataType("String").stringValue(trace).build()));
    }
    if (dlqUrl.endsWith(".fifo")) {
      String group = message.attributes().get(MessageSystemAttributeName.MESSAGE_GROUP_ID);
      send.messageGroupId(group != null ? group : "sqsworker-dlq");
      send.messageDeduplicationId(message.messageId());
    }
    return send.build();
  }

  /**
   * Makes the copy fit the DLQ's size limit: first the reason's stack trace is dropped, then its
   * error message is shortened, then, if that is not enough, the user's attributes are dropped (the
   * reason says so). A body that alone is too large cannot be helped; its send fails and the
   * message is tried again.
   */
  private FailureReason fit(
      Message message, Map<String, MessageAttributeValue> attributes, FailureReason reason) {
    int limit = maxMessageSize - SLACK;
    int fixed = utf8(message.body()) + size(attributes) + reasonOverhead();
    if (fixed + utf8(reason.toJson()) <= limit) {
      return reason;
    }
    // The stack trace goes first: the class, message and fingerprint tell more per byte.
    reason = reason.withoutStackTrace();
    if (fixed + utf8(reason.toJson()) <= limit) {
      return reason;
    }
    String text = reason.errorMessage() == null ? "" : reason.errorMessage();
    FailureReason shorter = shortenToFit(reason, text, "", fixed, limit);
    if (shorter != null) {
      return shorter;
    }
    var dropped = new TreeMap<>(attributes).keySet();
    attributes.clear();
    LOG.warn(
        "Dead letter of message {} from {} exceeds the DLQ's {} bytes; dropped its attributes {}",
        message.messageId(),
        reason.sourceQueue(),
        maxMessageSize,
        dropped);
    String note = " [user attributes " + dropped + " dropped to fit the DLQ's size limit]";
    FailureReason noted =
        shortenToFit(reason, text, note, utf8(message.body()) + reasonOverhead(), limit);
    // Null: the body alone is too large; the send fails and the message is tried again.
    return noted != null ? noted : withMessage(reason, "…" + note);
  }

  /** The reason with its message cut (ending in "…" and the suffix) until it fits, or null. */
  private static FailureReason shortenToFit(
      FailureReason reason, String text, String suffix, int fixed, int limit) {
    FailureReason whole = withMessage(reason, text + suffix);
    if (fixed + utf8(whole.toJson()) <= limit) {
      return whole;
    }
    // The longest prefix that fits, by bisection (JSON escapes make the size per character vary).
    int lo = -1;
    int hi = text.length() - 1;
    while (lo < hi) {
      int mid = (lo + hi + 1) >>> 1;
      if (fixed + utf8(withMessage(reason, text.substring(0, mid) + "…" + suffix).toJson())
          <= limit) {
        lo = mid;
      } else {
        hi = mid - 1;
      }
    }
    return lo < 0 ? null : withMessage(reason, text.substring(0, lo) + "…" + suffix);
  }

  private static FailureReason withMessage(FailureReason r, String message) {
    return new FailureReason(
        r.kind(),
        r.sourceQueue(),
        r.errorClass(),
        message,
        r.fingerprint(),
        r.attempts(),
        r.firstFailureAt(),
        r.lastFailureAt(),
        r.workerId(),
        r.stackTrace());
  }

  /** The name and type of the reason attribute. */
  private static int reasonOverhead() {
    return utf8(FailureReason.ATTRIBUTE) + utf8("String");
  }

  /** What attributes count towards SQS's size limit: names, types and values. */
  static int size(Map<String, MessageAttributeValue> attributes) {
    int total = 0;
    for (var e : attributes.entrySet()) {
      MessageAttributeValue v = e.getValue();
      total += utf8(e.getKey()) + utf8(v.dataType());
      if (v.stringValue() != null) {
        total += utf8(v.stringValue());
      }
      if (v.binaryValue() != null) {
        total += v.binaryValue().asByteArray().length;
      }
    }
    return total;
  }

  private static int utf8(String s) {
    return s == null ? 0 : s.getBytes(StandardCharsets.UTF_8).length;
  }

  private static MessageAttributeValue text(String value) {
    return MessageAttributeValue.builder().dataType("String").stringValue(value).build();
  }
}
