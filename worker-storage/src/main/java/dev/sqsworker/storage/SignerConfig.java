package dev.sqsworker.storage;

import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;

/**
 * How an {@link ArtifactSigner} signs: for which bucket, which keys, how long a URL lives and which
 * server-side encryption every upload must ask for. Immutable; build with {@link #builder(String)}.
 */
public final class SignerConfig {

  /** How long a URL lives unless the caller says otherwise: 15 minutes. */
  public static final Duration DEFAULT_EXPIRY = Duration.ofMinutes(15);

  /** The longest life SigV4 allows a pre-signed URL: 7 days. */
  public static final Duration MAX_EXPIRY = Duration.ofDays(7);

  /** The encryption uploads ask for unless told otherwise: S3-managed keys (AES256). */
  public static final ServerSideEncryption DEFAULT_ENCRYPTION = ServerSideEncryption.AES256;

  private final String bucket;
  private final KeyPolicy keyPolicy;
  private final Duration defaultExpiry;
  private final Duration maxExpiry;
  private final ServerSideEncryption encryption;
  private final String kmsKeyId;
  private final Clock clock;

  private SignerConfig(Builder b) {
    this.bucket = b.bucket;
    this.keyPolicy = b.keyPolicy;
    this.defaultExpiry = b.defaultExpiry;
    this.maxExpiry = b.maxExpiry;
    this.encryption = b.encryption;
    this.kmsKeyId = b.kmsKeyId;
    this.clock = b.clock;
  }

  /**
   * Starts a configuration for this bucket with the defaults.
   *
   * @throws IllegalArgumentException if the bucket name is blank
   */
  public static Builder builder(String bucket) {
    return new Builder(bucket);
  }

  /** The bucket every URL points into. */
  public String bucket() {
    return bucket;
  }

  /** Which keys are signed. */
  public KeyPolicy keyPolicy() {
    return keyPolicy;
  }

  /** The expiry used when the caller gives none. */
  public Duration defaultExpiry() {
    return defaultExpiry;
  }

  /** The longest expiry a caller may ask for. */
  public Duration maxExpiry() {
    return maxExpiry;
  }

  /** The server-side encryption every upload must ask for; null for none. */
  public ServerSideEncryption encryption() {
    return encryption;
  }

  /** The KMS key for {@link ServerSideEncryption#AWS_KMS}; null for the account's default key. */
  public String kmsKeyId() {
    return kmsKeyId;
  }

  /** The clock that dates signatures. */
  public Clock clock() {
    return clock;
  }

  /**
   * The expiry to sign with: the default if {@code expiry} is null, else {@code expiry} itself.
   *
   * @throws IllegalArgumentException if it is not positive or longer than {@link #maxExpiry()}
   */
  public Duration checkExpiry(Duration expiry) {
    Duration chosen = expiry == null ? defaultExpiry : expiry;
    if (chosen.isNegative() || chosen.isZero() || chosen.compareTo(maxExpiry) > 0) {
      throw new IllegalArgumentException(
          "expiry must be positive and at most " + maxExpiry + ", was " + chosen);
    }
    return chosen;
  }

  /** A builder holding this configuration, to change a part of it. */
  public Builder toBuilder() {
    Builder b = new Builder(bucket);
    b.keyPolicy = keyPolicy;
    b.defaultExpiry = defaultExpiry;
    b.maxExpiry = maxExpiry;
    b.encryption = encryption;
    b.kmsKeyId = kmsKeyId;
    b.clock = clock;
    return b;
  }

  /** Builds a {@link SignerConfig}; each setter rejects a bad value with a message naming it. */
  public static final class Builder {
    private final String bucket;
    private KeyPolicy keyPolicy = KeyPolicy.defaults();
    private Duration defaultExpiry = DEFAULT_EXPIRY;
    private Duration maxExpiry = MAX_EXPIRY;
    private ServerSideEncryption encryption = DEFAULT_ENCRYPTION;
    private String kmsKeyId;
    private Clock clock = Clock.systemUTC();

    private Builder(String bucket) {
      if (bucket == null || bucket.isBlank()) {
        throw new IllegalArgumentException("bucket must not be blank, was '" + bucket + "'");
      }
      this.bucket = bucket;
    }

    /** Which keys are signed; default {@link KeyPolicy#defaults()}. */
    public Builder keyPolicy(KeyPolicy keyPolicy) {
      this.keyPolicy = Objects.requireNonNull(keyPolicy, "keyPolicy");
      return this;
    }

    /**
     * The expiry used when the caller gives none; default {@link #DEFAULT_EXPIRY}.
     *
     * @throws IllegalArgumentException unless positive and at most {@link #MAX_EXPIRY}
     */
    public Builder defaultExpiry(Duration expiry) {
      this.defaultExpiry = bounded("defaultExpiry", expiry);
      return this;
    }

    /**
     * The longest expiry a caller may ask for; default and hard limit {@link #MAX_EXPIRY}.
     *
     * @throws IllegalArgumentException unless positive and at most {@link #MAX_EXPIRY}
     */
    public Builder maxExpiry(Duration expiry) {
      this.maxExpiry = bounded("maxExpiry", expiry);
      return this;
    }

    /** The encryption every upload must ask for, or null for none; default AES256. */
    public Builder encryption(ServerSideEncryption encryption) {
      this.encryption = encryption;
      return this;
    }

    /** The KMS key id for {@code aws:kms} encryption; null for the account's default key. */
    public Builder kmsKeyId(String kmsKeyId) {
      this.kmsKeyId = kmsKeyId;
      return this;
    }

    /** The clock that dates signatures; default the system's UTC clock. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * The configuration.
     *
     * @throws IllegalArgumentException if the default expiry exceeds the maximum, or a KMS key is
     *     given without {@code aws:kms} encryption
     */
    public SignerConfig build() {
      if (defaultExpiry.compareTo(maxExpiry) > 0) {
        throw new IllegalArgumentException(
            "defaultExpiry must not exceed maxExpiry (" + maxExpiry + "), was " + defaultExpiry);
      }
      if (kmsKeyId != null && encryption != ServerSideEncryption.AWS_KMS) {
        throw new IllegalArgumentException("kmsKeyId needs encryption aws:kms, was " + encryption);
      }
      return new SignerConfig(this);
    }

    private static Duration bounded(String name, Duration expiry) {
      Objects.requireNonNull(expiry, name);
      if (expiry.isNegative() || expiry.isZero() || expiry.compareTo(MAX_EXPIRY) > 0) {
        throw new IllegalArgumentException(
            name + " must be positive and at most " + MAX_EXPIRY + ", was " + expiry);
      }
      return expiry;
    }
  }
}
