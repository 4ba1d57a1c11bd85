/**
 * Resilience for a handler's calls to other services, built on resilience4j: a {@link
 * dev.sqsworker.core.resilience.Downstreams} registry hands out one {@link
 * dev.sqsworker.core.resilience.Downstream} per name, each composing a time limit, a bulkhead, a
 * rate limiter, a circuit breaker and short retries in a fixed order. Failures are sorted by an
 * {@link dev.sqsworker.core.resilience.ErrorClassifier}; a call refused by an open breaker fails
 * fast with {@link dev.sqsworker.core.resilience.DownstreamUnavailableException}, which the worker
 * parks without counting an attempt.
 */
package dev.sqsworker.core.resilience;
