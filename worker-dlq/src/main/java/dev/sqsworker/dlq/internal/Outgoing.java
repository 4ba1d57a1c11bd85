package dev.sqsworker.dlq.internal;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;

/**
 * A message about to be sent.
 *
 * @param key the caller's key for matching the outcome (a dead letter's message id, a line number)
 * @param body the body
 * @param attributes the message attributes
 * @param groupId the FIFO group id, or {@code null}
 * @param deduplicationId the FIFO deduplication id, or {@code null}
 * @param traceHeader the X-Ray trace header ({@code AWSTraceHeader} system attribute), or {@code
 *     null}
 */
public record Outgoing(
    String key,
    String body,
    Map<String, MessageAttributeValue> attributes,
    String groupId,
    String deduplicationId,
    String traceHeader) {

  /** A message without a trace header. */
  public Outgoing(
      String key,
      String body,
      Map<String, MessageAttributeValue> attributes,
      String groupId,
      String deduplicationId) {
    this(key, body, attributes, groupId, deduplicationId, null);
  }

  /** The size SQS counts against its limit: body plus attribute names, types and values. */
  public int size() {
    int size = utf8(body);
    for (Map.Entry<String, MessageAttributeValue> attribute : attributes.entrySet()) {
      MessageAttributeValue value = attribute.getValue();
      size += utf8(attribute.getKey()) + utf8(value.dataType());
      size += value.stringValue() != null ? utf8(value.stringValue()) : 0;
      size += value.binaryValue() != null ? value.binaryValue().asByteArray().length : 0;
    }
    return size;
  }

  private static int utf8(String text) {
    return text == null ? 0 : text.getBytes(StandardCharsets.UTF_8).length;
  }
}
