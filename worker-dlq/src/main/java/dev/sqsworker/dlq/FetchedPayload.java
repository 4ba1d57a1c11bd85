package dev.sqsworker.dlq;

import java.util.Objects;

/**
 * The payload a pointer message stands for, as read from S3, at most {@link
 * DeadLetterPayloads#maxBytes()} of it.
 *
 * @param pointer where it was read from
 * @param body its text (UTF-8), the first {@link DeadLetterPayloads#maxBytes()} bytes when {@code
 *     truncated}
 * @param size the object's whole size in bytes
 * @param truncated whether {@code body} is only the start of the object
 */
public record FetchedPayload(PayloadPointer pointer, String body, long size, boolean truncated) {

  /** Checks the parts. */
  public FetchedPayload {
    Objects.requireNonNull(pointer, "pointer");
    Objects.requireNonNull(body, "body");
  }
}
