package dev.sqsworker.core.idempotency;

/**
 * A won claim on a key.
 *
 * @param key the idempotency key
 * @param token the claim's token
 * @param attempts how many times the key has been claimed to run, this claim included
 */
public record Claim(String key, String token, int attempts) {}
