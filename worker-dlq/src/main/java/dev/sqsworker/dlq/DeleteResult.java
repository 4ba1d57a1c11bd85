package dev.sqsworker.dlq;

import java.util.List;

/**
 * What a delete by message id did.
 *
 * @param queueUrl the queue
 * @param deleted the ids of the messages deleted
 * @param notFound the ids asked for that were not deleted: not in the queue (or not reached, on a
 *     FIFO queue behind a message of their group), or whose delete SQS refused
 * @param confirmed whether the confirmation agreed; when false nothing was deleted
 */
public record DeleteResult(
    String queueUrl, List<String> deleted, List<String> notFound, boolean confirmed) {

  /** Freezes the lists. */
  public DeleteResult {
    deleted = List.copyOf(deleted);
    notFound = List.copyOf(notFound);
  }
}
