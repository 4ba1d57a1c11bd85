package dev.sqsworker.storage;

import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Deterministic object keys derived from a message's idempotency key, so that a retried message
 * writes a new version of the same object instead of leaving an orphan beside it:
 *
 * <pre>
 * {@code prefix/<first 8 hex digits of sha256(idempotencyKey)>/<idempotencyKey made key-safe>/<name>}
 * </pre>
 *
 * <p>The hash spreads keys across S3 partitions and keeps two idempotency keys that differ only in
 * characters made safe apart; the readable part makes a key easy to find by eye.
 */
public final class ArtifactKeys {

  /** How many hex digits of the hash lead the key. */
  public static final int HASH_DIGITS = 8;

  /** The longest readable part kept from the idempotency key. */
  public static final int MAX_READABLE_CHARS = 100;

  private static final Pattern UNSAFE = Pattern.compile("[^A-Za-z0-9._-]");
  private static final Pattern SAFE_NAME = Pattern.compile("[A-Za-z0-9._-]+");

  private ArtifactKeys() {}

  /**
   * The key for the artifact {@code name} produced by the message with this idempotency key.
   *
   * @param prefix a folder such as {@code "reports/"} (a trailing '/' is added if missing), or
   *     empty
   * @param idempotencyKey the message's idempotency key; any characters
   * @param name the artifact's file name: letters, digits, '.', '_' and '-', not '.' or '..'
   * @throws IllegalArgumentException if an argument breaks these rules
   */
  public static String forIdempotencyKey(String prefix, String idempotencyKey, String name) {
    Objects.requireNonNull(prefix, "prefix");
    if (idempotencyKey == null || idempotencyKey.isEmpty()) {
      throw new IllegalArgumentException(
          "idempotencyKey must not be empty, was '" + idempotencyKey + "'");
    }
    if (name == null
        || !SAFE_NAME.matcher(name).matches()
        || name.equals(".")
        || name.equals("..")) {
      throw new IllegalArgumentException(
          "artifact name must be letters, digits, '.', '_' or '-' (not '.' or '..'), was '"
              + name
              + "'");
    }
    String folder = prefix.isEmpty() || prefix.endsWith("/") ? prefix : prefix + "/";
    String hash =
        Sha256.of(idempotencyKey.getBytes(StandardCharsets.UTF_8)).hex().substring(0, HASH_DIGITS);
    String readable = UNSAFE.matcher(idempotencyKey).replaceAll("_");
    if (readable.length() > MAX_READABLE_CHARS) {
      readable = readable.substring(0, MAX_READABLE_CHARS);
    }
    if (readable.equals(".") || readable.equals("..")) {
      readable = readable.replace('.', '_');
    }
    return folder + hash + "/" + readable + "/" + name;
  }
}
