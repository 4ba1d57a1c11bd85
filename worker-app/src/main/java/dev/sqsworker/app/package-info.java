/**
 * Runs workers as a standalone process, e.g. an ECS Fargate task: {@link
 * dev.sqsworker.app.WorkerApplication} builds a worker from environment variables only ({@link
 * dev.sqsworker.app.EnvironmentVariables}), serves health and Prometheus metrics over HTTP, asks
 * the ECS agent for scale-in protection while messages are in flight and drains on SIGTERM. {@link
 * dev.sqsworker.app.WorkerCustomizer} and {@link dev.sqsworker.app.HealthContributor} are its two
 * extension points. Implementations live in {@code dev.sqsworker.app.internal}.
 */
package dev.sqsworker.app;
