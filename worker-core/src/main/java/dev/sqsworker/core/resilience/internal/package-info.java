/** The resilience4j composition behind {@code dev.sqsworker.core.resilience}; not an API. */
package dev.sqsworker.core.resilience.internal;
