package dev.sqsworker.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.sqsworker.testkit.Backend;
import dev.sqsworker.testkit.LocalS3;
import dev.sqsworker.testkit.S3Server;
import dev.sqsworker.testkit.internal.LocalStackServer;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;

/**
 * The whole default policy, encryption and public access block included, on LocalStack, which
 * implements every bucket configuration API; skipped with a reason where no Docker engine runs.
 */
class BucketSetupLocalStackIT {

  @Test
  void defaultPolicyIsAppliedOnceAndReadsBack() {
    assumeTrue(
        LocalStackServer.dockerAvailable(),
        "No Docker engine: encryption and public access block are covered only on LocalStack");
    try (LocalS3 s3 = LocalS3.start(Backend.LOCALSTACK)) {
      S3Server server = s3.full();
      String bucket = server.createBucket("setup-localstack");
      BucketSetup setup = BucketSetup.create(server.client());

      assertThat(setup.apply(bucket, BucketPolicy.defaults()).changed())
          .containsExactlyInAnyOrder(BucketSetting.values());
      assertThat(setup.apply(bucket, BucketPolicy.defaults()).changedAnything()).isFalse();

      S3Client client = server.client();
      assertThat(client.getBucketLifecycleConfiguration(b -> b.bucket(bucket)).rules())
          .isEqualTo(BucketPolicy.defaults().lifecycleRules());
      assertThat(
              client
                  .getBucketEncryption(b -> b.bucket(bucket))
                  .serverSideEncryptionConfiguration()
                  .rules()
                  .get(0)
                  .applyServerSideEncryptionByDefault()
                  .sseAlgorithm())
          .isEqualTo(ServerSideEncryption.AES256);
      assertThat(
              client
                  .getPublicAccessBlock(b -> b.bucket(bucket))
                  .publicAccessBlockConfiguration()
                  .restrictPublicBuckets())
          .isTrue();
    }
  }
}
