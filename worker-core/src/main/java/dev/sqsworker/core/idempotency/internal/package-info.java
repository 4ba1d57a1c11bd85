/** The PostgreSQL implementation of the idempotency store. */
package dev.sqsworker.core.idempotency.internal;
