package dev.sqsworker.storage;

import java.net.URI;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * A pre-signed S3 request: whoever holds it may send it until {@link #expiresAt()} without
 * credentials, but only exactly as signed.
 *
 * @param bucket the bucket
 * @param key the object key
 * @param method the HTTP method ({@code PUT} or {@code GET})
 * @param url the URL with the signature in its query string
 * @param headers the headers that were signed and must be sent with these exact values, by name;
 *     {@code Content-Length}, when present, is the exact body size (HTTP clients set it themselves
 *     from the body)
 * @param expiresAt when S3 starts refusing the URL
 */
public record PresignedRequest(
    String bucket,
    String key,
    String method,
    URI url,
    Map<String, String> headers,
    Instant expiresAt) {

  /** Checks that no part is missing and freezes the headers. */
  public PresignedRequest {
    Objects.requireNonNull(bucket, "bucket");
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(url, "url");
    Objects.requireNonNull(expiresAt, "expiresAt");
    TreeMap<String, String> sorted = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    sorted.putAll(headers);
    headers = java.util.Collections.unmodifiableMap(sorted);
  }
}
