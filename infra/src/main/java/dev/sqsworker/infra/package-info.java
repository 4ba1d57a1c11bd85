/**
 * The AWS deployment of sqs-worker as a CDK app: one {@link dev.sqsworker.infra.WorkerService} per
 * worker (queue and dead-letter queue, artifact bucket, Fargate service, least-privilege task role,
 * scaling on backlog per task), grouped in a {@link dev.sqsworker.infra.WorkerStack} and deployed
 * through {@link dev.sqsworker.infra.InfraApp}.
 */
package dev.sqsworker.infra;
