/**
 * How the starter builds workers from properties and shares the application's Spring transactions
 * with the transactional idempotency mode. Not an API.
 */
package dev.sqsworker.spring.boot.internal;
