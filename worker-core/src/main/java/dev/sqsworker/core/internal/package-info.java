/**
 * The worker runtime's implementation: polling, dispatch, visibility heartbeat, acknowledgement,
 * dead-letter publishing and metrics. Not an API; may change in any release.
 */
package dev.sqsworker.core.internal;
