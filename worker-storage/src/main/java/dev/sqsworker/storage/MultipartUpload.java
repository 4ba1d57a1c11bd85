package dev.sqsworker.storage;

import java.util.Objects;

/**
 * A multipart upload S3 has opened and not yet completed.
 *
 * @param bucket the bucket
 * @param key the object key
 * @param uploadId S3's id for the upload
 * @param contentType the media type the object will have
 */
public record MultipartUpload(String bucket, String key, String uploadId, String contentType) {

  /** Checks that no part is missing. */
  public MultipartUpload {
    Objects.requireNonNull(bucket, "bucket");
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(uploadId, "uploadId");
    Objects.requireNonNull(contentType, "contentType");
  }
}
