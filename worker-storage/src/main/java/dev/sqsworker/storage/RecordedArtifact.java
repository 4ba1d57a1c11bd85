package dev.sqsworker.storage;

import java.time.Instant;
import java.util.Objects;

/**
 * An artifact as the registry holds it: what was stored and which message stored it.
 *
 * @param id the registry's id for the row
 * @param artifact the stored object version
 * @param messageId the SQS message id that produced it
 * @param idempotencyKey the idempotency key of that message
 * @param createdAt when it was recorded
 */
public record RecordedArtifact(
    long id, StoredArtifact artifact, String messageId, String idempotencyKey, Instant createdAt) {

  /** Checks that no part is missing. */
  public RecordedArtifact {
    Objects.requireNonNull(artifact, "artifact");
    Objects.requireNonNull(messageId, "messageId");
    Objects.requireNonNull(idempotencyKey, "idempotencyKey");
    Objects.requireNonNull(createdAt, "createdAt");
  }
}
