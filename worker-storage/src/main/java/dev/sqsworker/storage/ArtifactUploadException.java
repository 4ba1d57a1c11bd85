package dev.sqsworker.storage;

/**
 * An upload failed: the server refused it, the transfer kept failing, or the stored content does
 * not match what was sent. Carries the bucket, key, HTTP status (0 when none came) and attempts.
 */
public class ArtifactUploadException extends RuntimeException {

  private final String bucket;
  private final String key;
  private final int statusCode;
  private final int attempts;

  /** Creates the exception. */
  public ArtifactUploadException(
      String message, String bucket, String key, int statusCode, int attempts, Throwable cause) {
    super(message, cause);
    this.bucket = bucket;
    this.key = key;
    this.statusCode = statusCode;
    this.attempts = attempts;
  }

  /** The bucket. */
  public String bucket() {
    return bucket;
  }

  /** The object key. */
  public String key() {
    return key;
  }

  /** The last HTTP status received; 0 if no response came. */
  public int statusCode() {
    return statusCode;
  }

  /** How many attempts were made. */
  public int attempts() {
    return attempts;
  }
}
