package dev.sqsworker.storage;

import java.time.Duration;

/**
 * Pre-signs uploads and downloads of single objects. It is the only part that holds S3 credentials;
 * it may live in the worker or in a separate service that hands URLs out.
 *
 * <p>Every key is checked against the signer's {@link KeyPolicy}; every expiry must be positive and
 * at most the configured maximum (never above 7 days).
 */
public interface ArtifactSigner {

  /**
   * Pre-signs a {@code PUT} of exactly this content: the content type, length, SHA-256 and the
   * configured server-side encryption are signed, so S3 refuses a request that differs in any of
   * them (and, where it verifies checksums, a body whose SHA-256 differs).
   *
   * @param key the object key
   * @param contentType the media type the upload must declare
   * @param contentLength the exact body size in bytes
   * @param sha256 the body's SHA-256
   * @param expiry how long the URL lives; null for the configured default
   * @throws InvalidArtifactKeyException if the key policy refuses the key
   * @throws IllegalArgumentException if the expiry is out of bounds or the length negative
   */
  PresignedRequest presignUpload(
      String key, String contentType, long contentLength, Sha256 sha256, Duration expiry);

  /**
   * Pre-signs a {@code GET} of one version of an object.
   *
   * @param key the object key
   * @param versionId the version to read; null for the current one
   * @param expiry how long the URL lives; null for the configured default
   * @throws InvalidArtifactKeyException if the key policy refuses the key
   * @throws IllegalArgumentException if the expiry is out of bounds
   */
  PresignedRequest presignDownload(String key, String versionId, Duration expiry);

  /** Pre-signs a {@code GET} of exactly the version that an upload stored. */
  default PresignedRequest presignDownload(StoredArtifact artifact, Duration expiry) {
    return presignDownload(artifact.key(), artifact.versionId(), expiry);
  }
}
