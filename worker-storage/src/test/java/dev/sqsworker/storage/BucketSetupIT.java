package dev.sqsworker.storage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sqsworker.testkit.LocalS3;
import dev.sqsworker.testkit.S3Server;
import dev.sqsworker.testkit.WithLocalServices;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketVersioningStatus;

/**
 * Bucket setup on the embedded server that implements versioning and lifecycle (S3Mock). S3Mock has
 * no default-encryption or public-access-block API (nor has S3Proxy), so the policy here leaves
 * those two unmanaged; {@link BucketSetupLocalStackIT} covers them where Docker runs LocalStack.
 */
@WithLocalServices
class BucketSetupIT {

  /** What S3Mock can hold: versioning and lifecycle. */
  static BucketPolicy.Builder embeddable() {
    return BucketPolicy.builder().encryption(null).blockPublicAccess(false);
  }

  @Test
  void secondApplyChangesNothingAndLifecycleReadsBackAsAsked(LocalS3 s3) {
    S3Server server = s3.full();
    String bucket = server.createBucket("setup-twice");
    BucketPolicy policy = embeddable().noncurrentExpirationDays(14).build();
    BucketSetup setup = BucketSetup.create(server.client());

    BucketSetupReport first = setup.apply(bucket, policy);
    BucketSetupReport second = setup.apply(bucket, policy);

    assertThat(first.changed())
        .containsExactlyInAnyOrder(BucketSetting.VERSIONING, BucketSetting.LIFECYCLE);
    S3Client client = server.client();
    assertThat(client.getBucketLifecycleConfiguration(b -> b.bucket(bucket)).rules())
        .isEqualTo(policy.lifecycleRules());
    assertThat(second.changed()).isEmpty();
    assertThat(client.getBucketVersioning(b -> b.bucket(bucket)).status())
        .isEqualTo(BucketVersioningStatus.ENABLED);
  }

  @Test
  void changedPolicyRewritesOnlyTheLifecycle(LocalS3 s3) {
    S3Server server = s3.full();
    String bucket = server.createBucket("setup-change");
    BucketSetup setup = BucketSetup.create(server.client());
    setup.apply(bucket, embeddable().build());

    BucketSetupReport report = setup.apply(bucket, embeddable().expirationDays(730).build());

    assertThat(report.changed()).containsExactly(BucketSetting.LIFECYCLE);
    assertThat(
            server
                .client()
                .getBucketLifecycleConfiguration(b -> b.bucket(bucket))
                .rules()
                .get(0)
                .expiration()
                .days())
        .isEqualTo(730);
  }
}
