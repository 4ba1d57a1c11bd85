package dev.sqsworker.dlq;

import java.util.List;
import java.util.Map;

/**
 * What a replay did. Every message counted in {@code failed} or {@code skipped} is still in the
 * dead-letter queue.
 *
 * @param deadLetterQueueUrl the dead-letter queue
 * @param replayed messages sent and then deleted from the dead-letter queue (in a dry run: those
 *     that would have been)
 * @param skipped messages the filter did not take
 * @param failed messages that matched but could not be sent (see {@code failures})
 * @param byDestination how many were replayed to each destination queue URL
 * @param failures the first {@value #MAX_FAILURES_LISTED} failures, each with its reason
 * @param notReached messages still visible in the dead-letter queue that the replay did not reach:
 *     on a FIFO queue, those behind a message of their group that stayed (run again after dealing
 *     with it); elsewhere, messages that became visible meanwhile. 0 when the replay stopped at its
 *     limit
 * @param arrivedLater messages sent to the dead-letter queue after the replay started, such as
 *     replayed messages that failed again: a replay takes only what was there when it started, so
 *     these stay for the next run
 * @param dryRun whether this was a dry run
 * @param interrupted whether the replay was stopped (Ctrl-C) before it finished
 */
public record ReplayResult(
    String deadLetterQueueUrl,
    long replayed,
    long skipped,
    long failed,
    Map<String, Long> byDestination,
    List<MessageFailure> failures,
    long notReached,
    long arrivedLater,
    boolean dryRun,
    boolean interrupted) {

  /** How many failures are listed at most. */
  public static final int MAX_FAILURES_LISTED = 100;

  /** Freezes the collections. */
  public ReplayResult {
    byDestination = Map.copyOf(byDestination);
    failures = List.copyOf(failures);
  }
}
