/**
 * The Micrometer Observations a worker makes, for tracing: one per message handled (parented by the
 * producer's trace context carried by the message) and one per {@link
 * dev.sqsworker.core.resilience.Downstream} call inside it. Set an {@code ObservationRegistry} on
 * {@link dev.sqsworker.core.Worker.Builder#observationRegistry} and {@link
 * dev.sqsworker.core.resilience.Downstreams.Builder#observationRegistry}; without one nothing is
 * observed and nothing is allocated for it.
 */
package dev.sqsworker.core.observation;
