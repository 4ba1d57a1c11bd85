package dev.sqsworker.storage;

/** The artifact registry could not read or write; the message says what and for which key. */
public class ArtifactRegistryException extends RuntimeException {

  /** Creates the exception. */
  public ArtifactRegistryException(String message, Throwable cause) {
    super(message, cause);
  }
}
