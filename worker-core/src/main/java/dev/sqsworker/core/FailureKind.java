package dev.sqsworker.core;

/** Why a message was sent to the dead-letter queue. */
public enum FailureKind {
  /** The body could not be decoded into the handler's payload type. */
  DECODE,
  /** The handler threw an error classified as non-retryable. */
  NON_RETRYABLE,
  /** The message failed on every one of its allowed attempts. */
  EXHAUSTED,
  /** The idempotency key was seen before with a different payload. */
  IDEMPOTENCY_KEY_REUSED,
  /**
   * No usable idempotency key: the key function threw, or the key holds a NUL character or is
   * longer than the store keeps. Its neighbours in the batch are not affected.
   */
  KEY
}
