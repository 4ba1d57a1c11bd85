package dev.sqsworker.dlq;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sqsworker.core.FailureReason;
import dev.sqsworker.dlq.internal.ArchivedMessage;
import dev.sqsworker.dlq.internal.Json;

/**
 * The one JSON form of a dead letter: a line of an export file, and each message the {@code dlq}
 * command prints as JSON.
 *
 * <pre>{@code
 * {"messageId":"…","body":"…",
 *  "attributes":{"tenant":{"dataType":"String","stringValue":"acme"},
 *                "raw":{"dataType":"Binary","binaryValue":"AAGA/w=="}},
 *  "messageGroupId":"g1","messageDeduplicationId":"…","sentAt":"2026-…Z","receiveCount":2,
 *  "failureReason":{"kind":"NON_RETRYABLE","errorClass":"…",…}}
 * }</pre>
 *
 * <p>Every attribute is kept with its data type (binary values in base64), {@value
 * FailureReason#ATTRIBUTE} included; {@code failureReason} repeats that attribute parsed. Times are
 * ISO-8601. Fields without a value (no group id on a standard queue, no failure reason) are left
 * out.
 */
public final class DeadLetterJson {

  private DeadLetterJson() {}

  /** The message as a JSON object. */
  public static ObjectNode toJson(DeadLetter letter) {
    return Json.MAPPER.valueToTree(archived(letter));
  }

  /** The message as one line of JSON, without the line break. */
  public static String toLine(DeadLetter letter) {
    try {
      return Json.MAPPER.writeValueAsString(archived(letter));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("Could not write message " + letter.messageId(), e);
    }
  }

  private static ArchivedMessage archived(DeadLetter letter) {
    JsonNode reason = null;
    if (letter.failureReason().isPresent()) {
      try {
        reason = Json.MAPPER.readTree(letter.failureReason().get().toJson());
      } catch (JsonProcessingException e) {
        reason = null; // the attribute itself is still there, unparsed
      }
    }
    return ArchivedMessage.of(letter, reason);
  }
}
