package dev.sqsworker.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.sqsworker.core.ConfigurationException;
import dev.sqsworker.storage.LargePayloadConfig;
import dev.sqsworker.storage.LargePayloadSender;
import dev.sqsworker.testkit.LocalS3;
import dev.sqsworker.testkit.LocalSqs;
import dev.sqsworker.testkit.QueuePair;
import dev.sqsworker.testkit.S3Server;
import dev.sqsworker.testkit.WithLocalServices;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Large payloads from the environment: the application builds the S3 client from its AWS settings,
 * and a worker with a bucket gets the payloads of pointer messages, on ElasticMQ and S3Mock.
 */
@WithLocalServices
class LargePayloadAppIT {

  private static final AtomicInteger BUCKETS = new AtomicInteger();
  private static final int MIB = 1024 * 1024;

  static void withS3(Map<String, String> env, S3Server s3) {
    env.put("AWS_ENDPOINT_URL_S3", s3.endpoint().uri().toString());
  }

  static String bucket(S3Server s3) {
    return s3.createBucket(
        "app-payloads-" + ProcessHandle.current().pid() + "-" + BUCKETS.incrementAndGet());
  }

  /** A body of {@code bytes} ASCII characters that is not one character repeated. */
  static String body(int bytes) {
    StringBuilder text = new StringBuilder(bytes);
    for (int i = 0; text.length() < bytes; i++) {
      text.append("line ").append(i).append('\n');
    }
    return text.substring(0, bytes);
  }

  @Test
  void aWorkerWithABucketGetsThePayloadOfAPointerMessage_theOtherWorkerItsPlainBodies(
      LocalSqs sqs, LocalS3 localS3) {
    S3Server s3 = localS3.full();
    String bucket = bucket(s3);
    QueuePair big = sqs.createQueueWithDlq("app-large", 5);
    QueuePair plain = sqs.createQueueWithDlq("app-plain", 5);
    Map<String, String> env = new HashMap<>(WorkerApplicationIT.environment(sqs, big));
    env.remove("SQSWORKER_QUEUE_URL");
    env.remove("SQSWORKER_DLQ_URL");
    env.remove("SQSWORKER_HANDLER_CLASS");
    withS3(env, s3);
    env.put("SQSWORKER_WORKERS", "big,plain");
    env.put("SQSWORKER_BIG_QUEUE_URL", big.queueUrl());
    env.put("SQSWORKER_BIG_HANDLER_CLASS", RecordingTextHandlers.Payloads.class.getName());
    env.put("SQSWORKER_BIG_LARGE_PAYLOAD_BUCKET", bucket);
    env.put("SQSWORKER_BIG_LARGE_PAYLOAD_DELETE", "true");
    env.put("SQSWORKER_PLAIN_QUEUE_URL", plain.queueUrl());
    env.put("SQSWORKER_PLAIN_HANDLER_CLASS", RecordingTextHandlers.Plain.class.getName());
    String payload = body(5 * MIB);
    RecordingTextHandlers.PAYLOADS.clear();
    RecordingTextHandlers.PLAIN.clear();

    WorkerApplication app = WorkerApplication.fromEnvironment(env);
    try {
      app.start();
      LargePayloadSender sender =
          LargePayloadSender.create(sqs.client(), s3.client(), LargePayloadConfig.of(bucket));
      sender.send(big.queueUrl(), payload, Map.of());
      assertThat(s3.client().listObjectsV2(b -> b.bucket(bucket)).contents()).hasSize(1);
      sqs.client().sendMessage(b -> b.queueUrl(plain.queueUrl()).messageBody("plain-1"));

      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () ->
                  RecordingTextHandlers.PAYLOADS.size() == 1
                      && RecordingTextHandlers.PLAIN.contains("plain-1"));
      assertThat(RecordingTextHandlers.PAYLOADS.get(0)).hasSize(5 * MIB).isEqualTo(payload);
      // The S3 client deletes too: the object goes once its message is done.
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> s3.client().listObjectsV2(b -> b.bucket(bucket)).contents().isEmpty());
      assertThat(app.workers().get(0).config().largePayloadBucket()).contains(bucket);
      assertThat(app.workers().get(1).config().largePayloadBucket()).isEmpty();
    } finally {
      app.close();
    }
    assertThat(app.state()).isEqualTo(WorkerApplication.State.STOPPED);
    // Nothing left behind on either queue: the pointer message was deleted like any other.
    assertThat(
            sqs.client()
                .receiveMessage(b -> b.queueUrl(big.queueUrl()).waitTimeSeconds(0))
                .messages())
        .isEmpty();
  }

  @Test
  void aMissingBucketStopsTheStartWithOneLineNamingTheVariableAndTheBucket(
      LocalSqs sqs, LocalS3 localS3) {
    QueuePair queues = sqs.createQueueWithDlq("app-large-missing", 5);
    Map<String, String> env = WorkerApplicationIT.environment(sqs, queues);
    withS3(env, localS3.full());
    env.put("SQSWORKER_HANDLER_CLASS", RecordingTextHandlers.Payloads.class.getName());
    env.put("SQSWORKER_LARGE_PAYLOAD_BUCKET", "no-such-payload-bucket");

    WorkerApplication app = WorkerApplication.fromEnvironment(env);
    try {
      assertThatThrownBy(app::start)
          .isInstanceOf(ConfigurationException.class)
          .hasMessage(
              "SQSWORKER_LARGE_PAYLOAD_BUCKET: bucket 'no-such-payload-bucket' does not exist")
          .satisfies(e -> assertThat(WorkerApplication.oneLine(e)).doesNotContain("\n"));
      assertThat(app.workers().get(0).state()).isEqualTo(dev.sqsworker.core.Worker.State.NEW);
    } finally {
      app.close();
    }
  }

  @Test
  void aMissingBucketOfOneOfSeveralWorkersNamesTheWorkerAndItsVariable(
      LocalSqs sqs, LocalS3 localS3) {
    S3Server s3 = localS3.full();
    QueuePair orders = sqs.createQueueWithDlq("app-large-orders", 5);
    QueuePair refunds = sqs.createQueueWithDlq("app-large-refunds", 5);
    Map<String, String> env = new HashMap<>(WorkerApplicationIT.environment(sqs, orders));
    env.remove("SQSWORKER_QUEUE_URL");
    env.remove("SQSWORKER_DLQ_URL");
    withS3(env, s3);
    env.put("SQSWORKER_HANDLER_CLASS", RecordingTextHandlers.Payloads.class.getName());
    env.put("SQSWORKER_WORKERS", "orders,refunds");
    env.put("SQSWORKER_ORDERS_QUEUE_URL", orders.queueUrl());
    env.put("SQSWORKER_ORDERS_LARGE_PAYLOAD_BUCKET", bucket(s3));
    env.put("SQSWORKER_REFUNDS_QUEUE_URL", refunds.queueUrl());
    env.put("SQSWORKER_REFUNDS_LARGE_PAYLOAD_BUCKET", "refunds-bucket-gone");

    WorkerApplication app = WorkerApplication.fromEnvironment(env);
    try {
      assertThatThrownBy(app::start)
          .isInstanceOf(ConfigurationException.class)
          .hasMessage(
              "worker refunds: SQSWORKER_REFUNDS_LARGE_PAYLOAD_BUCKET: bucket"
                  + " 'refunds-bucket-gone' does not exist");
    } finally {
      app.close();
    }
  }
}
