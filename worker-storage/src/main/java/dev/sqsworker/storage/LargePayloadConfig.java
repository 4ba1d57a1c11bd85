package dev.sqsworker.storage;

import java.util.Objects;

/**
 * Where and when {@link LargePayloadSender} moves message bodies to S3, in the Amazon SQS Extended
 * Client Library's format.
 *
 * @param bucket the payload bucket (set it up with {@link #bucketPolicy(int)})
 * @param keyPrefix the prefix of the payload objects' keys, e.g. {@code "payloads/"}; empty for
 *     none
 * @param threshold bodies whose size plus their attributes' size exceeds this many bytes go to S3;
 *     at most {@link #SQS_DEFAULT_MAX_SIZE} unless the queue's {@code MaximumMessageSize} is raised
 * @param alwaysThroughS3 whether every body goes to S3, whatever its size
 */
public record LargePayloadConfig(
    String bucket, String keyPrefix, int threshold, boolean alwaysThroughS3) {

  /** SQS's default maximum message size (body plus attributes): 256 KiB = {@value} bytes. */
  public static final int SQS_DEFAULT_MAX_SIZE = 262_144;

  /** SQS's largest configurable maximum message size: 1 MiB = {@value} bytes. */
  public static final int SQS_MAX_SIZE = 1_048_576;

  /** Default days a payload object is kept: {@value} (SQS keeps a message 14 days at most). */
  public static final int DEFAULT_RETENTION_DAYS = 14;

  /**
   * Validates the parts.
   *
   * @throws IllegalArgumentException naming the part that is wrong
   */
  public LargePayloadConfig {
    if (bucket == null || bucket.isBlank()) {
      throw new IllegalArgumentException("bucket is required, was '" + bucket + "'");
    }
    Objects.requireNonNull(keyPrefix, "keyPrefix");
    if (threshold < 0 || threshold > SQS_MAX_SIZE) {
      throw new IllegalArgumentException(
          "threshold must be between 0 and " + SQS_MAX_SIZE + " bytes, was " + threshold);
    }
  }

  /** Bodies above SQS's default limit go to the bucket, without a key prefix. */
  public static LargePayloadConfig of(String bucket) {
    return new LargePayloadConfig(bucket, "", SQS_DEFAULT_MAX_SIZE, false);
  }

  /** This configuration with a key prefix for the payload objects. */
  public LargePayloadConfig withKeyPrefix(String prefix) {
    return new LargePayloadConfig(bucket, prefix, threshold, alwaysThroughS3);
  }

  /** This configuration with another size threshold in bytes. */
  public LargePayloadConfig withThreshold(int bytes) {
    return new LargePayloadConfig(bucket, keyPrefix, bytes, alwaysThroughS3);
  }

  /**
   * The policy for the payload bucket, for {@link BucketSetup#apply(String, BucketPolicy)}:
   * versioning, payload objects (under the key prefix) expired after {@code retentionDays} with no
   * storage-class transitions, noncurrent versions expired a day later. Use a bucket of its own:
   * the setup owns the bucket's whole lifecycle configuration.
   */
  public BucketPolicy.Builder bucketPolicy(int retentionDays) {
    return BucketPolicy.builder()
        .prefix(keyPrefix)
        .transitions(false)
        .expirationDays(retentionDays)
        .noncurrentExpirationDays(1)
        .abortIncompleteMultipartDays(1);
  }
}
