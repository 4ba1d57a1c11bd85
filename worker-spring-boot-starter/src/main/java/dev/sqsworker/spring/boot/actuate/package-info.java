/** Actuator health of sqs-workers: one indicator per worker, part of the readiness group. */
package dev.sqsworker.spring.boot.actuate;
