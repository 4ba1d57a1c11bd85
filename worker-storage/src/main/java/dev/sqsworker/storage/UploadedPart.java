package dev.sqsworker.storage;

import java.util.Objects;

/**
 * One part of a {@link MultipartUpload} that S3 accepted.
 *
 * @param partNumber its number, from 1
 * @param eTag the ETag S3 returned for it
 * @param sha256 the part's SHA-256
 */
public record UploadedPart(int partNumber, String eTag, Sha256 sha256) {

  /** Checks the part number and that no part is missing. */
  public UploadedPart {
    if (partNumber < 1 || partNumber > MultipartSigner.MAX_PARTS) {
      throw new IllegalArgumentException(
          "partNumber must be between 1 and " + MultipartSigner.MAX_PARTS + ", was " + partNumber);
    }
    Objects.requireNonNull(eTag, "eTag");
    Objects.requireNonNull(sha256, "sha256");
  }
}
