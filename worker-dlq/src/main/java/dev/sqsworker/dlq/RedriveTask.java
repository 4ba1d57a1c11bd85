package dev.sqsworker.dlq;

import java.time.Instant;

/**
 * A native SQS message move task ({@code StartMessageMoveTask}).
 *
 * @param taskHandle the handle to cancel it with (only for a running task)
 * @param status {@code RUNNING}, {@code COMPLETED}, {@code CANCELLING}, {@code CANCELLED} or {@code
 *     FAILED}
 * @param sourceArn the dead-letter queue
 * @param destinationArn the destination, or {@code null} for each message's original source
 * @param maxMessagesPerSecond the rate limit, or {@code null} for SQS's default
 * @param moved messages moved so far (approximate)
 * @param toMove messages to move when it started (approximate), or {@code null}
 * @param failureReason why it failed, or {@code null}
 * @param startedAt when it started
 */
public record RedriveTask(
    String taskHandle,
    String status,
    String sourceArn,
    String destinationArn,
    Integer maxMessagesPerSecond,
    long moved,
    Long toMove,
    String failureReason,
    Instant startedAt) {}
