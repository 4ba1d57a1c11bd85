package dev.sqsworker.storage;

/** A part of a bucket's configuration that {@link BucketSetup} manages. */
public enum BucketSetting {
  /** Object versioning, enabled. */
  VERSIONING,
  /** The lifecycle rules of {@link BucketPolicy#lifecycleRules()}. */
  LIFECYCLE,
  /** Default server-side encryption. */
  ENCRYPTION,
  /** The public access block, all four settings on. */
  PUBLIC_ACCESS_BLOCK
}
