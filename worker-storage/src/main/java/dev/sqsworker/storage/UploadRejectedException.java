package dev.sqsworker.storage;

/**
 * The server refused the upload with a client error (4xx) and retrying the same request cannot
 * help: a 403 means the pre-signed URL expired or the request does not match its signature
 * (tampered URL, another content type, length or checksum); a 400 {@code BadDigest} means the body
 * does not match the signed checksum.
 */
public class UploadRejectedException extends ArtifactUploadException {

  private final String errorCode;

  /** Creates the exception. */
  public UploadRejectedException(
      String message, String bucket, String key, int statusCode, int attempts, String errorCode) {
    super(message, bucket, key, statusCode, attempts, null);
    this.errorCode = errorCode;
  }

  /** S3's error code from the response body ({@code SignatureDoesNotMatch}, ...); may be empty. */
  public String errorCode() {
    return errorCode;
  }
}
