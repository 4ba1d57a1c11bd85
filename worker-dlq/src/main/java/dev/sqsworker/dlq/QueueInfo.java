package dev.sqsworker.dlq;

import java.util.List;

/**
 * A queue, its message counts and its dead-letter relations.
 *
 * @param name the queue's name
 * @param url the queue's URL
 * @param arn the queue's ARN
 * @param visible messages available to receive (approximate)
 * @param inFlight messages received but not yet deleted (approximate)
 * @param delayed messages not yet available because of a delay (approximate)
 * @param deadLetterQueueUrl the queue its {@code RedrivePolicy} moves messages to, or {@code null}
 * @param maxReceiveCount receives before that move, or 0 without a redrive policy
 * @param sourceQueueUrls the queues whose dead-letter queue this is (empty: it is none)
 */
public record QueueInfo(
    String name,
    String url,
    String arn,
    long visible,
    long inFlight,
    long delayed,
    String deadLetterQueueUrl,
    int maxReceiveCount,
    List<String> sourceQueueUrls) {

  /** Freezes the list. */
  public QueueInfo {
    sourceQueueUrls = List.copyOf(sourceQueueUrls);
  }

  /** Whether some queue sends its dead letters here. */
  public boolean isDeadLetterQueue() {
    return !sourceQueueUrls.isEmpty();
  }

  /** Whether it is a FIFO queue. */
  public boolean isFifo() {
    return name.endsWith(".fifo");
  }

  /** All messages in the queue: visible, in flight and delayed. */
  public long total() {
    return visible + inFlight + delayed;
  }
}
