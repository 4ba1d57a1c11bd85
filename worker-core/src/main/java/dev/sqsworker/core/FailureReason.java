package dev.sqsworker.core;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.time.Instant;
import java.util.Objects;

/**
 * Why a message is in the dead-letter queue. It travels with the message as one JSON message
 * attribute, {@value #ATTRIBUTE}, because SQS allows only ten attributes per message and the user's
 * own attributes are kept.
 *
 * @param kind the category of failure
 * @param sourceQueue the URL of the queue the message was received from (where a replay goes)
 * @param errorClass the exception's class name ({@code null} for {@link FailureKind#EXHAUSTED}
 *     without a last error)
 * @param errorMessage the exception's message, shortened to {@value #MAX_ERROR_MESSAGE} characters
 * @param fingerprint a short stable hash of the error class and the top stack frames, to group
 *     messages that failed the same way
 * @param attempts how many times the handler ran on this message
 * @param firstFailureAt when the first failure happened, as far as the worker knows
 * @param lastFailureAt when the failure that dead-lettered it happened
 * @param workerId the worker instance that dead-lettered it
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record FailureReason(
    FailureKind kind,
    String sourceQueue,
    String errorClass,
    String errorMessage,
    String fingerprint,
    int attempts,
    Instant firstFailureAt,
    Instant lastFailureAt,
    String workerId) {

  /** The name of the message attribute that carries the reason. */
  public static final String ATTRIBUTE = "sqsworker-failure";

  /** The longest error message kept; longer ones are cut and end with an ellipsis. */
  public static final int MAX_ERROR_MESSAGE = 1024;

  private static final ObjectMapper JSON =
      new ObjectMapper()
          .registerModule(new JavaTimeModule())
          .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  /** Checks the required parts and shortens an over-long error message. */
  public FailureReason {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(sourceQueue, "sourceQueue");
    Objects.requireNonNull(lastFailureAt, "lastFailureAt");
    if (attempts < 0) {
      throw new IllegalArgumentException("attempts must not be negative, was " + attempts);
    }
    if (errorMessage != null && errorMessage.length() > MAX_ERROR_MESSAGE) {
      errorMessage = errorMessage.substring(0, MAX_ERROR_MESSAGE - 1) + "…";
    }
    if (firstFailureAt == null) {
      firstFailureAt = lastFailureAt;
    }
  }

  /** The reason as the JSON text of the {@value #ATTRIBUTE} attribute. */
  public String toJson() {
    try {
      return JSON.writeValueAsString(this);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("Could not encode failure reason " + this, e);
    }
  }

  /**
   * Reads the JSON text of a {@value #ATTRIBUTE} attribute.
   *
   * @throws IllegalArgumentException naming the attribute if the text is not a failure reason
   */
  public static FailureReason fromJson(String json) {
    try {
      return JSON.readValue(json, FailureReason.class);
    } catch (JsonProcessingException | RuntimeException e) {
      throw new IllegalArgumentException(
          "The " + ATTRIBUTE + " attribute is not a valid failure reason: " + e.getMessage(), e);
    }
  }
}
