package dev.sqsworker.storage;

import java.time.Duration;
import java.util.List;

/**
 * The credentialed side of a multipart upload: it opens and closes the upload with S3 and pre-signs
 * one URL per part, so the bytes themselves travel without credentials.
 */
public interface MultipartSigner {

  /** S3's limit on the number of parts of one upload. */
  int MAX_PARTS = 10_000;

  /**
   * Opens a multipart upload whose parts carry SHA-256 checksums.
   *
   * @throws InvalidArtifactKeyException if the key policy refuses the key
   */
  MultipartUpload startMultipartUpload(String key, String contentType);

  /**
   * Pre-signs the {@code PUT} of one part with exactly this length and SHA-256.
   *
   * @param expiry how long the URL lives; null for the configured default
   */
  PresignedRequest presignPart(
      MultipartUpload upload, int partNumber, long contentLength, Sha256 sha256, Duration expiry);

  /**
   * Completes the upload from its parts, in part-number order, and describes the stored object.
   *
   * @param sha256 the SHA-256 of the whole content, computed by the uploader
   * @param size the whole content's size
   */
  StoredArtifact completeMultipartUpload(
      MultipartUpload upload, List<UploadedPart> parts, Sha256 sha256, long size);

  /** Abandons the upload so S3 frees its parts; an unknown upload is ignored. */
  void abortMultipartUpload(MultipartUpload upload);
}
