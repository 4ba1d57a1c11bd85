package dev.sqsworker.dlq.internal;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import dev.sqsworker.dlq.DeadLetter;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;

/**
 * One line of an export file: everything needed to send the message again exactly as it was. The
 * failure reason is repeated, parsed, for people and {@code jq}; the attribute is the source of
 * truth.
 *
 * @param messageId the message's id in the exported queue
 * @param body the body
 * @param attributes every message attribute; binary values are base64
 * @param messageGroupId the FIFO group id, if any
 * @param messageDeduplicationId the FIFO deduplication id, if any
 * @param sentAt when the message was sent to the exported queue
 * @param receiveCount receives from the exported queue
 * @param failureReason the parsed failure reason, if any
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ArchivedMessage(
    String messageId,
    String body,
    Map<String, Attribute> attributes,
    String messageGroupId,
    String messageDeduplicationId,
    Instant sentAt,
    int receiveCount,
    JsonNode failureReason) {

  /**
   * One message attribute.
   *
   * @param dataType {@code String}, {@code Number} or {@code Binary}, with an optional custom
   *     suffix
   * @param stringValue the value of a String or Number attribute
   * @param binaryValue the value of a Binary attribute
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Attribute(String dataType, String stringValue, byte[] binaryValue) {}

  /** The line for a dead letter. */
  public static ArchivedMessage of(DeadLetter letter, JsonNode reason) {
    Map<String, Attribute> attributes = new LinkedHashMap<>();
    letter
        .attributes()
        .forEach(
            (name, value) ->
                attributes.put(
                    name,
                    new Attribute(
                        value.dataType(),
                        value.stringValue(),
                        value.binaryValue() == null ? null : value.binaryValue().asByteArray())));
    return new ArchivedMessage(
        letter.messageId(),
        letter.body(),
        attributes,
        letter.messageGroupId(),
        letter.deduplicationId(),
        letter.sentAt(),
        letter.receiveCount(),
        reason);
  }

  /** The attributes as the SDK sends them. */
  Map<String, MessageAttributeValue> sdkAttributes() {
    Map<String, MessageAttributeValue> values = new LinkedHashMap<>();
    if (attributes != null) {
      attributes.forEach(
          (name, value) ->
              values.put(
                  name,
                  MessageAttributeValue.builder()
                      .dataType(value.dataType())
                      .stringValue(value.stringValue())
                      .binaryValue(
                          value.binaryValue() == null
                              ? null
                              : SdkBytes.fromByteArray(value.binaryValue()))
                      .build()));
    }
    return values;
  }
}
