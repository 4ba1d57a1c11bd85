/**
 * Spring Boot auto-configuration of sqs-worker: workers from {@code MessageHandler} beans and
 * {@code sqsworker.*} properties ({@link dev.sqsworker.spring.boot.SqsWorkerProperties}), run by
 * the {@link dev.sqsworker.spring.boot.SqsWorkers} lifecycle, with idempotency in the application's
 * Spring-managed transactions and health for Actuator.
 */
package dev.sqsworker.spring.boot;
