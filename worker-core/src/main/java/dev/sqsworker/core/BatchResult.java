package dev.sqsworker.core;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What a {@link BatchMessageHandler} reports: the messages that failed (retried after their
 * backoff, with this error) and the ones rejected (non-retryable: dead-lettered at once with the
 * reason, as with {@link NonRetryableException}). Every other message of the batch succeeded.
 * Immutable.
 *
 * <pre>{@code
 * return BatchResult.builder()
 *     .failed(item, timeout)                 // tried again later
 *     .rejected(other, "unknown customer")   // to the dead-letter queue now
 *     .build();
 * }</pre>
 */
public final class BatchResult {

  private static final BatchResult ALL_SUCCEEDED = new BatchResult(Map.of(), Map.of());

  private final Map<String, Throwable> failures;
  private final Map<String, NonRetryableException> rejections;

  private BatchResult(
      Map<String, Throwable> failures, Map<String, NonRetryableException> rejections) {
    this.failures = failures;
    this.rejections = rejections;
  }

  /** Every message of the batch succeeded. */
  public static BatchResult allSucceeded() {
    return ALL_SUCCEEDED;
  }

  /** Starts a result naming the messages that did not succeed. */
  public static Builder builder() {
    return new Builder();
  }

  /** The failed messages' errors, by message id, in the order they were reported. */
  public Map<String, Throwable> failures() {
    return failures;
  }

  /** The rejected messages' reasons, by message id, in the order they were reported. */
  public Map<String, NonRetryableException> rejections() {
    return rejections;
  }

  /** Whether no message failed or was rejected. */
  public boolean isAllSucceeded() {
    return failures.isEmpty() && rejections.isEmpty();
  }

  @Override
  public String toString() {
    return "BatchResult{failed=" + failures.keySet() + ", rejected=" + rejections.keySet() + "}";
  }

  /** Builds a {@link BatchResult}; each message may be named once. */
  public static final class Builder {
    private final Map<String, Throwable> failures = new LinkedHashMap<>();
    private final Map<String, NonRetryableException> rejections = new LinkedHashMap<>();

    private Builder() {}

    /** The item failed with this error: retried after its backoff (the error decides, as usual). */
    public Builder failed(BatchItem<?> item, Throwable error) {
      return failed(Objects.requireNonNull(item, "item").messageId(), error);
    }

    /** The message with this id failed with this error. */
    public Builder failed(String messageId, Throwable error) {
      Objects.requireNonNull(error, "error");
      failures.put(unnamed(messageId), error);
      return this;
    }

    /** The item cannot be handled, ever: dead-lettered at once with this reason. */
    public Builder rejected(BatchItem<?> item, String reason) {
      return rejected(Objects.requireNonNull(item, "item").messageId(), reason);
    }

    /** The message with this id cannot be handled, ever: dead-lettered at once with this reason. */
    public Builder rejected(String messageId, String reason) {
      if (reason == null || reason.isBlank()) {
        throw new IllegalArgumentException(
            "the reason for rejecting message " + messageId + " is blank");
      }
      rejections.put(unnamed(messageId), new NonRetryableException(reason));
      return this;
    }

    /**
     * The item cannot be handled, ever: dead-lettered at once, with this error as the reason (kept
     * as the cause of a {@link NonRetryableException} with its message, unless it is one).
     */
    public Builder rejected(BatchItem<?> item, Throwable error) {
      Objects.requireNonNull(item, "item");
      Objects.requireNonNull(error, "error");
      rejections.put(
          unnamed(item.messageId()),
          error instanceof NonRetryableException nonRetryable
              ? nonRetryable
              : new NonRetryableException(String.valueOf(error.getMessage()), error));
      return this;
    }

    private String unnamed(String messageId) {
      Objects.requireNonNull(messageId, "messageId");
      if (failures.containsKey(messageId) || rejections.containsKey(messageId)) {
        throw new IllegalArgumentException(
            "message " + messageId + " is reported twice in one BatchResult");
      }
      return messageId;
    }

    /** The result. */
    public BatchResult build() {
      if (failures.isEmpty() && rejections.isEmpty()) {
        return ALL_SUCCEEDED;
      }
      return new BatchResult(
          Collections.unmodifiableMap(new LinkedHashMap<>(failures)),
          Collections.unmodifiableMap(new LinkedHashMap<>(rejections)));
    }
  }
}
