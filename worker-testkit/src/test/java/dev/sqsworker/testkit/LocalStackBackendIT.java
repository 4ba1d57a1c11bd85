package dev.sqsworker.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.sqsworker.testkit.internal.LocalStackServer;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;

/** The LocalStack backend for users with Docker; skipped with a reason where there is none. */
class LocalStackBackendIT {

  @Test
  void sendsAndReceivesThroughLocalStack() {
    assumeTrue(
        LocalStackServer.dockerAvailable(),
        "No Docker engine reachable: the LocalStack backend is skipped (the embedded one is used)");
    try (LocalSqs sqs = LocalSqs.start(Backend.LOCALSTACK)) {
      String url = sqs.createQueue("localstack-check");
      sqs.client().sendMessage(b -> b.queueUrl(url).messageBody("hello"));
      assertThat(sqs.client().receiveMessage(b -> b.queueUrl(url).waitTimeSeconds(5)).messages())
          .hasSize(1);
    }
  }

  @Test
  void servesBothS3RolesFromOneLocalStack() {
    assumeTrue(
        LocalStackServer.dockerAvailable(),
        "No Docker engine reachable: the LocalStack backend is skipped (the embedded one is used)");
    try (LocalS3 s3 = LocalS3.start(Backend.LOCALSTACK)) {
      assertThat(s3.signing().endpoint()).isEqualTo(s3.full().endpoint());
      String bucket = s3.full().createBucket("localstack-check");
      s3.full().client().putObject(b -> b.bucket(bucket).key("k"), RequestBody.fromString("v"));
      assertThat(
              s3.signing().client().getObjectAsBytes(b -> b.bucket(bucket).key("k")).asUtf8String())
          .isEqualTo("v");
    }
  }
}
