package dev.sqsworker.dlq;

import java.util.List;

/**
 * A dead-letter queue's messages grouped by failure: the view that tells which bug to fix first.
 *
 * @param queueUrl the queue
 * @param total messages looked at
 * @param withoutReason how many of them carry no (readable) failure reason
 * @param notReached messages still visible that the pass did not reach (on a FIFO queue: those
 *     behind the first messages of their group)
 * @param groups the groups, largest first
 */
public record DlqStats(
    String queueUrl, long total, long withoutReason, long notReached, List<FailureGroup> groups) {

  /** Freezes the list. */
  public DlqStats {
    groups = List.copyOf(groups);
  }
}
