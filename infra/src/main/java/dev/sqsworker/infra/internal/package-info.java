/** Helpers of the infra api: context parsing and the pieces a worker service is assembled from. */
package dev.sqsworker.infra.internal;
