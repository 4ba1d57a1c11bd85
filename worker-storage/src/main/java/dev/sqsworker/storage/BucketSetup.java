package dev.sqsworker.storage;

import dev.sqsworker.storage.internal.S3BucketSetup;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Brings an existing bucket in line with a {@link BucketPolicy}: reads each setting, writes only
 * those that differ, and reports what it wrote. Applying the same policy twice writes nothing the
 * second time.
 */
public interface BucketSetup {

  /** A setup that works through this client (it needs the bucket's configuration permissions). */
  static BucketSetup create(S3Client client) {
    return new S3BucketSetup(client);
  }

  /**
   * Applies the policy to the bucket.
   *
   * @throws software.amazon.awssdk.services.s3.model.S3Exception if S3 refuses a read or a write
   */
  BucketSetupReport apply(String bucket, BucketPolicy policy);
}
