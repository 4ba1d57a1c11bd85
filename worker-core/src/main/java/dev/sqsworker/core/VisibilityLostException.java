package dev.sqsworker.core;

/**
 * The worker could not keep a message invisible (an extension failed or the maximum handling time
 * passed), so another consumer may receive it. The handler of that message is cancelled with this
 * exception as the reason.
 */
public class VisibilityLostException extends RuntimeException {

  /** Creates the exception naming the queue and message. */
  public VisibilityLostException(String queueUrl, String messageId, String why, Throwable cause) {
    super("Lost visibility of message " + messageId + " on " + queueUrl + ": " + why, cause);
  }
}
