package dev.sqsworker.storage;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * Which object keys a signer agrees to sign: no empty key, no leading {@code /}, no {@code .} or
 * {@code ..} path segment, no empty segment ({@code a//b}), no control character, at most {@link
 * #maxKeyBytes()} UTF-8 bytes, and under the {@link #allowedPrefix()} if one is set.
 */
public final class KeyPolicy {

  /** S3's own limit on a key's length in UTF-8 bytes. */
  public static final int S3_MAX_KEY_BYTES = 1024;

  /** The default limit, S3's. */
  public static final int DEFAULT_MAX_KEY_BYTES = S3_MAX_KEY_BYTES;

  private final String allowedPrefix;
  private final int maxKeyBytes;

  private KeyPolicy(Builder builder) {
    this.allowedPrefix = builder.allowedPrefix;
    this.maxKeyBytes = builder.maxKeyBytes;
  }

  /** A policy with no prefix restriction and S3's length limit. */
  public static KeyPolicy defaults() {
    return builder().build();
  }

  /** Starts a policy with the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** The prefix every key must start with; empty when any key is allowed. */
  public String allowedPrefix() {
    return allowedPrefix;
  }

  /** The longest key allowed, in UTF-8 bytes. */
  public int maxKeyBytes() {
    return maxKeyBytes;
  }

  /**
   * Returns the key if this policy allows it.
   *
   * @throws InvalidArtifactKeyException naming the key and the rule it breaks
   */
  public String validate(String key) {
    if (key == null || key.isEmpty()) {
      throw new InvalidArtifactKeyException("object key must not be empty, was '" + key + "'");
    }
    int bytes = key.getBytes(StandardCharsets.UTF_8).length;
    if (bytes > maxKeyBytes) {
      throw new InvalidArtifactKeyException(
          "object key must be at most "
              + maxKeyBytes
              + " UTF-8 bytes, was "
              + bytes
              + ": '"
              + abbreviate(key)
              + "'");
    }
    if (key.startsWith("/")) {
      throw new InvalidArtifactKeyException(
          "object key must not start with '/', was '" + key + "'");
    }
    for (int i = 0; i < key.length(); i++) {
      if (Character.isISOControl(key.charAt(i))) {
        throw new InvalidArtifactKeyException(
            "object key must not contain control characters, was '"
                + key.replaceAll("\\p{Cntrl}", "?")
                + "'");
      }
    }
    for (String segment : key.split("/", -1)) {
      if (segment.equals("..") || segment.equals(".")) {
        throw new InvalidArtifactKeyException(
            "object key must not contain a '" + segment + "' segment, was '" + key + "'");
      }
      if (segment.isEmpty() && !key.endsWith("/")) {
        throw new InvalidArtifactKeyException(
            "object key must not contain an empty segment ('//'), was '" + key + "'");
      }
    }
    if (key.endsWith("/")) {
      throw new InvalidArtifactKeyException(
          "object key must not end with '/' (that is a folder), was '" + key + "'");
    }
    if (!key.startsWith(allowedPrefix)) {
      throw new InvalidArtifactKeyException(
          "object key must start with '" + allowedPrefix + "', was '" + key + "'");
    }
    return key;
  }

  private static String abbreviate(String key) {
    return key.length() <= 80 ? key : key.substring(0, 80) + "...";
  }

  /** A copy of this policy to change. */
  public Builder toBuilder() {
    return builder().allowedPrefix(allowedPrefix).maxKeyBytes(maxKeyBytes);
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof KeyPolicy that
        && allowedPrefix.equals(that.allowedPrefix)
        && maxKeyBytes == that.maxKeyBytes;
  }

  @Override
  public int hashCode() {
    return Objects.hash(allowedPrefix, maxKeyBytes);
  }

  @Override
  public String toString() {
    return "KeyPolicy[allowedPrefix='" + allowedPrefix + "', maxKeyBytes=" + maxKeyBytes + "]";
  }

  /** Builds a {@link KeyPolicy}; each setter rejects a bad value at once. */
  public static final class Builder {
    private String allowedPrefix = "";
    private int maxKeyBytes = DEFAULT_MAX_KEY_BYTES;

    private Builder() {}

    /**
     * Only keys under this prefix are signed, e.g. {@code "reports/"}; empty allows every key.
     *
     * @throws IllegalArgumentException if the prefix starts with '/' or contains '..'
     */
    public Builder allowedPrefix(String prefix) {
      Objects.requireNonNull(prefix, "allowedPrefix");
      if (prefix.startsWith("/") || prefix.contains("..")) {
        throw new IllegalArgumentException(
            "allowedPrefix must not start with '/' or contain '..', was '" + prefix + "'");
      }
      this.allowedPrefix = prefix;
      return this;
    }

    /**
     * The longest key allowed, in UTF-8 bytes.
     *
     * @throws IllegalArgumentException unless between 1 and {@value KeyPolicy#S3_MAX_KEY_BYTES}
     */
    public Builder maxKeyBytes(int maxKeyBytes) {
      if (maxKeyBytes < 1 || maxKeyBytes > S3_MAX_KEY_BYTES) {
        throw new IllegalArgumentException(
            "maxKeyBytes must be between 1 and " + S3_MAX_KEY_BYTES + ", was " + maxKeyBytes);
      }
      this.maxKeyBytes = maxKeyBytes;
      return this;
    }

    /** The policy. */
    public KeyPolicy build() {
      return new KeyPolicy(this);
    }
  }
}
