package dev.sqsworker.core;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
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
 * @param stackTrace the error's story, bounded: its class and each cause's ({@code caused by ...}),
 *     then the root cause's top frames ({@code at ...}); null without an error. Dropped first when
 *     the dead letter must shrink to fit SQS's size limit.
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
    String workerId,
    List<String> stackTrace) {

  /** The name of the message attribute that carries the reason. */
  public static final String ATTRIBUTE = "sqsworker-failure";

  /** The longest error message kept; longer ones are cut and end with an ellipsis. */
  public static final int MAX_ERROR_MESSAGE = 1024;

  /** The most frames of the root cause kept in {@link #stackTrace()}. */
  public static final int MAX_FRAMES = 10;

  /** The most causes named in {@link #stackTrace()}. */
  public static final int MAX_CAUSES = 5;

  /** A reason without a stack trace. */
  public FailureReason(
      FailureKind kind,
      String sourceQueue,
      String errorClass,
      String errorMessage,
      String fingerprint,
      int attempts,
      Instant firstFailureAt,
      Instant lastFailureAt,
      String workerId) {
    this(
        kind,
        sourceQueue,
        errorClass,
        errorMessage,
        fingerprint,
        attempts,
        firstFailureAt,
        lastFailureAt,
        workerId,
        null);
  }

  /**
   * The bounded stack trace of {@code error}: its class, up to {@value #MAX_CAUSES} causes as
   * {@code caused by CLASS}, then up to {@value #MAX_FRAMES} frames of the root cause as {@code at
   * CLASS.METHOD(FILE:LINE)}.
   */
  public static List<String> stackTraceOf(Throwable error) {
    List<String> lines = new ArrayList<>();
    lines.add(error.getClass().getName());
    Throwable root = error;
    int causes = 0;
    while (root.getCause() != null && root.getCause() != root && causes < MAX_CAUSES) {
      root = root.getCause();
      causes++;
      lines.add("caused by " + root.getClass().getName());
    }
    StackTraceElement[] frames = root.getStackTrace();
    for (int i = 0; i < Math.min(MAX_FRAMES, frames.length); i++) {
      lines.add("at " + frames[i]);
    }
    return lines;
  }

  /** The same reason without its stack trace. */
  public FailureReason withoutStackTrace() {
    return new FailureReason(
        kind,
        sourceQueue,
        errorClass,
        errorMessage,
        fingerprint,
        attempts,
        firstFailureAt,
        lastFailureAt,
        workerId,
        null);
  }

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
    if (stackTrace != null) {
      stackTrace =
          List.copyOf(
              stackTrace.subList(0, Math.min(stackTrace.size(), 1 + MAX_CAUSES + MAX_FRAMES)));
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
