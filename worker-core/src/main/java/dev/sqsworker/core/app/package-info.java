/**
 * Runs workers as a standalone process, e.g. an ECS Fargate task: {@link
 * dev.sqsworker.core.app.WorkerApplication} builds a worker from environment variables only ({@link
 * dev.sqsworker.core.app.EnvironmentVariables}), serves health and Prometheus metrics over HTTP,
 * asks the ECS agent for scale-in protection while messages are in flight and drains on SIGTERM.
 * {@link dev.sqsworker.core.app.WorkerCustomizer} and {@link
 * dev.sqsworker.core.app.HealthContributor} are its two extension points. Implementations live in
 * {@code dev.sqsworker.core.app.internal}.
 */
package dev.sqsworker.core.app;
