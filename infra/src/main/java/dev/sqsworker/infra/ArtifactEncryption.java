package dev.sqsworker.infra;

/** Default encryption of a worker's artifact bucket. */
public enum ArtifactEncryption {
  /** SSE-S3: keys managed by S3; no KMS permissions or costs. */
  S3_MANAGED,
  /**
   * SSE-KMS with the AWS managed key {@code aws/s3}: KMS audit trail in CloudTrail; the key policy
   * of an AWS managed key already lets principals of the account use it through S3, so the task
   * role needs no KMS statement.
   */
  KMS_MANAGED
}
