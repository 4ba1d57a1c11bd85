package dev.sqsworker.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.sqsworker.storage.LargePayloadConfig;
import dev.sqsworker.storage.LargePayloadSender;
import dev.sqsworker.testkit.Backend;
import dev.sqsworker.testkit.LocalS3;
import dev.sqsworker.testkit.LocalSqs;
import dev.sqsworker.testkit.QueuePair;
import dev.sqsworker.testkit.S3Server;
import dev.sqsworker.testkit.internal.LocalStackServer;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The large-payload round trip of {@link LargePayloadAppIT} on LocalStack, whose S3 and SQS are
 * closer to AWS's than the embedded servers (one endpoint for both, as {@code AWS_ENDPOINT_URL}
 * gives it); skipped with a reason where no Docker engine runs. Not the only test of it: {@link
 * LargePayloadAppIT} runs everywhere.
 */
class LargePayloadAppLocalStackIT {

  private static final int MIB = 1024 * 1024;

  @Test
  void aPointerMessageIsHandledWithItsPayloadAndTheObjectDeleted() {
    assumeTrue(
        LocalStackServer.dockerAvailable(),
        "No Docker engine: the large-payload round trip runs on the embedded services only"
            + " (LargePayloadAppIT)");
    try (LocalS3 localS3 = LocalS3.start(Backend.LOCALSTACK);
        LocalSqs sqs = LocalSqs.connect(localS3.full().endpoint())) {
      S3Server s3 = localS3.full();
      String bucket = s3.createBucket("app-payloads-localstack");
      QueuePair queues = sqs.createQueueWithDlq("app-large-localstack", 5);
      Map<String, String> env = WorkerApplicationIT.environment(sqs, queues);
      // One endpoint for every service, as LocalStack serves them.
      env.remove("AWS_ENDPOINT_URL_SQS");
      env.put("AWS_ENDPOINT_URL", s3.endpoint().uri().toString());
      env.put("SQSWORKER_HANDLER_CLASS", RecordingTextHandlers.Payloads.class.getName());
      env.put("SQSWORKER_LARGE_PAYLOAD_BUCKET", bucket);
      env.put("SQSWORKER_LARGE_PAYLOAD_DELETE", "true");
      String payload = LargePayloadAppIT.body(5 * MIB);
      RecordingTextHandlers.PAYLOADS.clear();

      WorkerApplication app = WorkerApplication.fromEnvironment(env);
      try {
        app.start();
        LargePayloadSender.create(sqs.client(), s3.client(), LargePayloadConfig.of(bucket))
            .send(queues.queueUrl(), payload, Map.of());

        await()
            .atMost(Duration.ofSeconds(60))
            .until(() -> RecordingTextHandlers.PAYLOADS.contains(payload));
        await()
            .atMost(Duration.ofSeconds(20))
            .until(() -> s3.client().listObjectsV2(b -> b.bucket(bucket)).contents().isEmpty());
      } finally {
        app.close();
      }
      assertThat(RecordingTextHandlers.PAYLOADS).containsExactly(payload);
    }
  }
}
