package dev.sqsworker.storage;

import java.util.Objects;
import java.util.Optional;

/**
 * An object that an upload wrote: which version of which key, and what it holds.
 *
 * @param bucket the bucket
 * @param key the object key
 * @param versionId the version S3 gave it; null when the bucket is not versioned
 * @param eTag the ETag S3 returned (quoted, as S3 sends it)
 * @param sha256 the SHA-256 of the whole content, computed while uploading
 * @param size the content's size in bytes
 * @param contentType the content's media type
 */
public record StoredArtifact(
    String bucket,
    String key,
    String versionId,
    String eTag,
    Sha256 sha256,
    long size,
    String contentType) {

  /** Checks that no required part is missing. */
  public StoredArtifact {
    Objects.requireNonNull(bucket, "bucket");
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(eTag, "eTag");
    Objects.requireNonNull(sha256, "sha256");
    Objects.requireNonNull(contentType, "contentType");
    if (size < 0) {
      throw new IllegalArgumentException("size must not be negative, was " + size);
    }
  }

  /** The version id, if the bucket is versioned. */
  public Optional<String> version() {
    return Optional.ofNullable(versionId);
  }
}
