package dev.sqsworker.core.idempotency;

import java.util.Objects;

/**
 * A request to claim a key for one message.
 *
 * @param key the idempotency key
 * @param payloadHash a hash of the message body, to tell a reused key from a repeat
 * @param token a random token naming this claim; the completion, release and lease extension of the
 *     claim must present it
 */
public record ClaimRequest(String key, String payloadHash, String token) {

  /** Checks that no part is missing. */
  public ClaimRequest {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(payloadHash, "payloadHash");
    Objects.requireNonNull(token, "token");
  }
}
