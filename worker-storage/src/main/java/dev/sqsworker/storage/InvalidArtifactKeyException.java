package dev.sqsworker.storage;

/** An object key that the {@link KeyPolicy} refuses; the message names the key and the rule. */
public class InvalidArtifactKeyException extends IllegalArgumentException {

  /** Creates the exception with a message naming the key and the broken rule. */
  public InvalidArtifactKeyException(String message) {
    super(message);
  }
}
