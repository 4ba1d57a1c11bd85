package dev.sqsworker.dlq;

import java.time.Instant;

/**
 * Dead letters that failed the same way from the same queue.
 *
 * @param fingerprint the failure fingerprint, or {@code null} for messages without a reason
 * @param errorClass the error class, or {@code null}
 * @param kind the failure kind's name, or {@code null}
 * @param sourceQueue the source queue URL, or {@code null}
 * @param count how many messages
 * @param firstSeen the earliest first failure among them
 * @param lastSeen the latest last failure among them
 * @param sampleErrorMessage the error message of one of them, or {@code null}
 */
public record FailureGroup(
    String fingerprint,
    String errorClass,
    String kind,
    String sourceQueue,
    long count,
    Instant firstSeen,
    Instant lastSeen,
    String sampleErrorMessage) {}
