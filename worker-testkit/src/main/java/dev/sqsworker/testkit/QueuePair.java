package dev.sqsworker.testkit;

/**
 * A source queue and the dead-letter queue its redrive policy points at.
 *
 * @param queueUrl the source queue's URL
 * @param queueArn the source queue's ARN
 * @param dlqUrl the dead-letter queue's URL
 * @param dlqArn the dead-letter queue's ARN
 */
public record QueuePair(String queueUrl, String queueArn, String dlqUrl, String dlqArn) {}
