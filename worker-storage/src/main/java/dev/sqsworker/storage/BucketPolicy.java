package dev.sqsworker.storage;

import java.util.List;
import java.util.Objects;
import software.amazon.awssdk.services.s3.model.AbortIncompleteMultipartUpload;
import software.amazon.awssdk.services.s3.model.ExpirationStatus;
import software.amazon.awssdk.services.s3.model.LifecycleExpiration;
import software.amazon.awssdk.services.s3.model.LifecycleRule;
import software.amazon.awssdk.services.s3.model.LifecycleRuleFilter;
import software.amazon.awssdk.services.s3.model.NoncurrentVersionExpiration;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;
import software.amazon.awssdk.services.s3.model.Transition;
import software.amazon.awssdk.services.s3.model.TransitionStorageClass;

/**
 * What {@link BucketSetup} makes of an artifact bucket: versioning on; one lifecycle rule that
 * moves current versions to STANDARD_IA and then GLACIER and expires them, expires noncurrent
 * versions and aborts incomplete multipart uploads; default encryption; public access blocked.
 * Immutable; build with {@link #builder()}.
 */
public final class BucketPolicy {

  /** The id of the lifecycle rule this policy writes. */
  public static final String RULE_ID = "sqsworker-artifacts";

  /** Days before current versions move to STANDARD_IA: 30, S3's minimum. */
  public static final int DEFAULT_INFREQUENT_ACCESS_DAYS = 30;

  /** Days before current versions move to GLACIER: 90. */
  public static final int DEFAULT_GLACIER_DAYS = 90;

  /** Days before current versions expire: 365. */
  public static final int DEFAULT_EXPIRATION_DAYS = 365;

  /** Days a version stays after it stops being current: 30. */
  public static final int DEFAULT_NONCURRENT_EXPIRATION_DAYS = 30;

  /** Days before an incomplete multipart upload is aborted: 7. */
  public static final int DEFAULT_ABORT_INCOMPLETE_MULTIPART_DAYS = 7;

  private final String prefix;
  private final int infrequentAccessDays;
  private final int glacierDays;
  private final int expirationDays;
  private final int noncurrentExpirationDays;
  private final int abortIncompleteMultipartDays;
  private final ServerSideEncryption encryption;
  private final String kmsKeyId;
  private final boolean blockPublicAccess;
  private final boolean transitions;

  private BucketPolicy(Builder b) {
    this.prefix = b.prefix;
    this.infrequentAccessDays = b.infrequentAccessDays;
    this.glacierDays = b.glacierDays;
    this.expirationDays = b.expirationDays;
    this.noncurrentExpirationDays = b.noncurrentExpirationDays;
    this.abortIncompleteMultipartDays = b.abortIncompleteMultipartDays;
    this.encryption = b.encryption;
    this.kmsKeyId = b.kmsKeyId;
    this.blockPublicAccess = b.blockPublicAccess;
    this.transitions = b.transitions;
  }

  /** The policy with every default. */
  public static BucketPolicy defaults() {
    return builder().build();
  }

  /** Starts a policy with the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** The key prefix the lifecycle rule applies to; empty for the whole bucket. */
  public String prefix() {
    return prefix;
  }

  /** Days before current versions move to STANDARD_IA. */
  public int infrequentAccessDays() {
    return infrequentAccessDays;
  }

  /** Days before current versions move to GLACIER. */
  public int glacierDays() {
    return glacierDays;
  }

  /** Days before current versions expire. */
  public int expirationDays() {
    return expirationDays;
  }

  /** Days a noncurrent version is kept. */
  public int noncurrentExpirationDays() {
    return noncurrentExpirationDays;
  }

  /** Days before an incomplete multipart upload is aborted. */
  public int abortIncompleteMultipartDays() {
    return abortIncompleteMultipartDays;
  }

  /** The default encryption: AES256 (S3-managed keys) or aws:kms; null leaves it unmanaged. */
  public ServerSideEncryption encryption() {
    return encryption;
  }

  /** The KMS key for aws:kms; null for the account's default key. */
  public String kmsKeyId() {
    return kmsKeyId;
  }

  /** Whether the public access block is managed (all four settings on); else left unmanaged. */
  public boolean blockPublicAccess() {
    return blockPublicAccess;
  }

  /**
   * Whether current versions move to STANDARD_IA and GLACIER before they expire; false for
   * short-lived objects (large message payloads) that only expire.
   */
  public boolean transitions() {
    return transitions;
  }

  /** The lifecycle rules this policy asks for, as the SDK models them. */
  public List<LifecycleRule> lifecycleRules() {
    LifecycleRule.Builder rule = LifecycleRule.builder();
    if (transitions) {
      // Without transitions the list is left unset, as S3 reads it back, so a second apply finds
      // nothing to change.
      rule.transitions(
          Transition.builder()
              .days(infrequentAccessDays)
              .storageClass(TransitionStorageClass.STANDARD_IA)
              .build(),
          Transition.builder()
              .days(glacierDays)
              .storageClass(TransitionStorageClass.GLACIER)
              .build());
    }
    return List.of(
        rule.id(RULE_ID)
            .status(ExpirationStatus.ENABLED)
            // An empty filter is S3's "every object"; a prefix narrows the rule to a folder.
            .filter(
                prefix.isEmpty()
                    ? LifecycleRuleFilter.builder().build()
                    : LifecycleRuleFilter.builder().prefix(prefix).build())
            .expiration(LifecycleExpiration.builder().days(expirationDays).build())
            .noncurrentVersionExpiration(
                NoncurrentVersionExpiration.builder()
                    .noncurrentDays(noncurrentExpirationDays)
                    .build())
            .abortIncompleteMultipartUpload(
                AbortIncompleteMultipartUpload.builder()
                    .daysAfterInitiation(abortIncompleteMultipartDays)
                    .build())
            .build());
  }

  /** A builder holding this policy, to change a part of it. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.prefix = prefix;
    b.infrequentAccessDays = infrequentAccessDays;
    b.glacierDays = glacierDays;
    b.expirationDays = expirationDays;
    b.noncurrentExpirationDays = noncurrentExpirationDays;
    b.abortIncompleteMultipartDays = abortIncompleteMultipartDays;
    b.encryption = encryption;
    b.kmsKeyId = kmsKeyId;
    b.blockPublicAccess = blockPublicAccess;
    b.transitions = transitions;
    return b;
  }

  /** Builds a {@link BucketPolicy}; setters and {@link #build()} reject bad values by name. */
  public static final class Builder {
    private String prefix = "";
    private int infrequentAccessDays = DEFAULT_INFREQUENT_ACCESS_DAYS;
    private int glacierDays = DEFAULT_GLACIER_DAYS;
    private int expirationDays = DEFAULT_EXPIRATION_DAYS;
    private int noncurrentExpirationDays = DEFAULT_NONCURRENT_EXPIRATION_DAYS;
    private int abortIncompleteMultipartDays = DEFAULT_ABORT_INCOMPLETE_MULTIPART_DAYS;
    private ServerSideEncryption encryption = ServerSideEncryption.AES256;
    private String kmsKeyId;
    private boolean blockPublicAccess = true;
    private boolean transitions = true;

    private Builder() {}

    /**
     * Whether current versions move to STANDARD_IA and GLACIER (default true); false keeps them in
     * STANDARD until they expire, so the expiration may be shorter than the transition days.
     */
    public Builder transitions(boolean transitions) {
      this.transitions = transitions;
      return this;
    }

    /** The key prefix the lifecycle rule applies to; default empty (the whole bucket). */
    public Builder prefix(String prefix) {
      this.prefix = Objects.requireNonNull(prefix, "prefix");
      return this;
    }

    /**
     * Days before STANDARD_IA; default {@value #DEFAULT_INFREQUENT_ACCESS_DAYS}.
     *
     * @throws IllegalArgumentException if below 30, S3's minimum for STANDARD_IA
     */
    public Builder infrequentAccessDays(int days) {
      if (days < 30) {
        throw new IllegalArgumentException(
            "infrequentAccessDays must be at least 30 (S3's minimum), was " + days);
      }
      this.infrequentAccessDays = days;
      return this;
    }

    /** Days before GLACIER; default {@value #DEFAULT_GLACIER_DAYS}. */
    public Builder glacierDays(int days) {
      this.glacierDays = positive("glacierDays", days);
      return this;
    }

    /** Days before current versions expire; default {@value #DEFAULT_EXPIRATION_DAYS}. */
    public Builder expirationDays(int days) {
      this.expirationDays = positive("expirationDays", days);
      return this;
    }

    /** Days a noncurrent version is kept; default {@value #DEFAULT_NONCURRENT_EXPIRATION_DAYS}. */
    public Builder noncurrentExpirationDays(int days) {
      this.noncurrentExpirationDays = positive("noncurrentExpirationDays", days);
      return this;
    }

    /**
     * Days before an incomplete multipart upload is aborted; default {@value
     * #DEFAULT_ABORT_INCOMPLETE_MULTIPART_DAYS}.
     */
    public Builder abortIncompleteMultipartDays(int days) {
      this.abortIncompleteMultipartDays = positive("abortIncompleteMultipartDays", days);
      return this;
    }

    /**
     * The default encryption: AES256 (default) or aws:kms; null leaves the bucket's default
     * encryption as it is (for S3-compatible servers without that API).
     *
     * @throws IllegalArgumentException for any other value
     */
    public Builder encryption(ServerSideEncryption encryption) {
      if (encryption != null
          && encryption != ServerSideEncryption.AES256
          && encryption != ServerSideEncryption.AWS_KMS) {
        throw new IllegalArgumentException(
            "encryption must be AES256 or aws:kms, was " + encryption);
      }
      this.encryption = encryption;
      return this;
    }

    /**
     * Whether to block all public access (default); false leaves the bucket's public access block
     * as it is (for S3-compatible servers without that API).
     */
    public Builder blockPublicAccess(boolean block) {
      this.blockPublicAccess = block;
      return this;
    }

    /** The KMS key for aws:kms; default none (the account's default key). */
    public Builder kmsKeyId(String kmsKeyId) {
      this.kmsKeyId = kmsKeyId;
      return this;
    }

    /**
     * The policy.
     *
     * @throws IllegalArgumentException unless STANDARD_IA &lt; GLACIER &lt; expiration (with
     *     transitions), or if a KMS key is given without aws:kms
     */
    public BucketPolicy build() {
      if (kmsKeyId != null && encryption != ServerSideEncryption.AWS_KMS) {
        throw new IllegalArgumentException("kmsKeyId needs encryption aws:kms, was " + encryption);
      }
      if (!transitions) {
        return new BucketPolicy(this);
      }
      if (glacierDays <= infrequentAccessDays) {
        throw new IllegalArgumentException(
            "glacierDays must be after infrequentAccessDays ("
                + infrequentAccessDays
                + "), was "
                + glacierDays);
      }
      if (expirationDays <= glacierDays) {
        throw new IllegalArgumentException(
            "expirationDays must be after glacierDays ("
                + glacierDays
                + "), was "
                + expirationDays);
      }
      if (kmsKeyId != null && encryption != ServerSideEncryption.AWS_KMS) {
        throw new IllegalArgumentException("kmsKeyId needs encryption aws:kms, was " + encryption);
      }
      return new BucketPolicy(this);
    }

    private static int positive(String name, int days) {
      if (days < 1) {
        throw new IllegalArgumentException(name + " must be at least 1, was " + days);
      }
      return days;
    }
  }
}
