package dev.sqsworker.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.amazon.sqs.javamessaging.AmazonSQSExtendedClient;
import com.amazon.sqs.javamessaging.AmazonSQSExtendedClientUtil;
import com.amazon.sqs.javamessaging.ExtendedClientConfiguration;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.sqsworker.core.idempotency.Idempotency;
import dev.sqsworker.testkit.LocalPostgres;
import dev.sqsworker.testkit.LocalS3;
import dev.sqsworker.testkit.LocalSqs;
import dev.sqsworker.testkit.S3Server;
import dev.sqsworker.testkit.WithLocalServices;
import dev.sqsworker.testkit.faults.SqsFaults;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.payloadoffloading.PayloadS3Pointer;

/**
 * Large payloads through S3 on ElasticMQ and S3Mock: producers send with the Amazon SQS Extended
 * Client Library itself, so the worker is tested against the library's own pointer format.
 */
@WithLocalServices
class LargePayloadIT {

  private static final int KIB = 1024;
  private static final AtomicInteger BUCKETS = new AtomicInteger();

  record Document(String id, String text) {}

  private final SqsFaults faults = new SqsFaults(19);
  private QueueFixture fixture;
  private S3Server s3;
  private S3AsyncClient s3Async;
  private SqsClient producerSqs;
  private String bucket;

  @BeforeEach
  void setUp(LocalSqs sqs, LocalS3 localS3) {
    fixture = QueueFixture.standard(sqs, "large");
    s3 = localS3.full();
    bucket =
        s3.createBucket(
            "large-payloads-" + ProcessHandle.current().pid() + "-" + BUCKETS.incrementAndGet());
    var endpoint = s3.endpoint();
    s3Async =
        S3AsyncClient.builder()
            .endpointOverride(endpoint.uri())
            .region(endpoint.sdkRegion())
            .credentialsProvider(endpoint.credentialsProvider())
            .forcePathStyle(true)
            .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
            .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
            .build();
    var sqsEndpoint = sqs.endpoint();
    // ElasticMQ does not check SQS's size rule; the interceptor does, as SQS would.
    faults.on("SendMessage").always().refuseLargerThan(256 * KIB);
    producerSqs =
        SqsClient.builder()
            .endpointOverride(sqsEndpoint.uri())
            .region(sqsEndpoint.sdkRegion())
            .credentialsProvider(sqsEndpoint.credentialsProvider())
            .overrideConfiguration(c -> c.addExecutionInterceptor(faults))
            .build();
  }

  @AfterEach
  void tearDown() {
    fixture.close();
    s3Async.close();
    producerSqs.close();
  }

  private AmazonSQSExtendedClient producer(boolean alwaysThroughS3) {
    return new AmazonSQSExtendedClient(
        producerSqs,
        new ExtendedClientConfiguration()
            .withPayloadSupportEnabled(s3.client(), bucket)
            .withAlwaysThroughS3(alwaysThroughS3));
  }

  private String send(String body, boolean alwaysThroughS3, Map<String, MessageAttributeValue> a) {
    return producer(alwaysThroughS3)
        .sendMessage(
            b -> b.queueUrl(fixture.queues.queueUrl()).messageBody(body).messageAttributes(a))
        .messageId();
  }

  private List<S3Object> objects() {
    return s3.client().listObjectsV2(b -> b.bucket(bucket)).contents();
  }

  private WorkerConfig.Builder config() {
    return fixture.config().largePayloadBucket(bucket);
  }

  private <T> Worker start(WorkerConfig config, Class<T> type, MessageHandler<T> handler) {
    return fixture.start(fixture.worker(config).s3Client(s3Async).handler(type, handler));
  }

  @Test
  void fiveMebibytePayloadReachesTheHandlerAndItsObjectIsDeletedAfterSuccess() {
    String body = "x".repeat(5 * KIB * KIB);
    send(body, false, Map.of());
    assertThat(objects()).hasSize(1);
    CompletableFuture<String> handled = new CompletableFuture<>();

    start(config().largePayloadDelete(true).build(), String.class, (p, ctx) -> handled.complete(p));

    assertThat(handled).succeedsWithin(Duration.ofSeconds(20));
    assertThat(handled.join()).isEqualTo(body);
    await().atMost(Duration.ofSeconds(10)).until(() -> objects().isEmpty());
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> fixture.depth(fixture.queues.queueUrl()) == 0);
  }

  @Test
  void payloadIsDecodedAsJsonAndItsObjectIsKeptByDefault() {
    send("{\"id\":\"d-1\",\"text\":\"hello\"}", true, Map.of());
    CompletableFuture<Document> handled = new CompletableFuture<>();

    start(config().build(), Document.class, (d, ctx) -> handled.complete(d));

    assertThat(handled)
        .succeedsWithin(Duration.ofSeconds(20))
        .isEqualTo(new Document("d-1", "hello"));
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> fixture.depth(fixture.queues.queueUrl()) == 0);
    assertThat(objects()).hasSize(1);
  }

  @Test
  void failedMessageReachesTheDlqWithThePointerNotThePayload() {
    String body = "f".repeat(300 * KIB);
    send(body, false, Map.of());
    AtomicInteger runs = new AtomicInteger();

    start(
        config().largePayloadDelete(true).build(),
        String.class,
        (p, ctx) -> {
          runs.incrementAndGet();
          assertThat(p).hasSize(300 * KIB);
          throw new NonRetryableException("rejected");
        });

    await().atMost(Duration.ofSeconds(20)).until(() -> fixture.depth(fixture.queues.dlqUrl()) == 1);
    Message dead = fixture.drainDlq().get(0);
    PayloadS3Pointer pointer = PayloadS3Pointer.fromJson(dead.body());
    assertThat(pointer.getS3BucketName()).isEqualTo(bucket);
    // The library's producer writes the legacy size attribute unless told otherwise; either counts.
    assertThat(
            AmazonSQSExtendedClientUtil.getReservedAttributeNameIfPresent(dead.messageAttributes()))
        .isPresent();
    assertThat(dead.messageAttributes()).containsKey(FailureReason.ATTRIBUTE);
    // Not deleted (the message did not succeed): a replay, or the library's own consumer, reads it.
    assertThat(objects())
        .singleElement()
        .satisfies(o -> assertThat(o.key()).isEqualTo(pointer.getS3Key()));
    assertThat(runs).hasValue(1);
  }

  @Test
  void nearTheLimitABodyWithAttributesGoesThroughS3AndIsHandled() {
    // 250 KiB plus 10 KiB of attributes: too large for SQS, so the library moves the body to S3.
    String body = "n".repeat(250 * KIB);
    var note =
        MessageAttributeValue.builder()
            .dataType("String")
            .stringValue("a".repeat(10 * KIB))
            .build();
    send(body, false, Map.of("note", note));
    assertThat(objects()).hasSize(1);
    CompletableFuture<String> handled = new CompletableFuture<>();
    CompletableFuture<String> attribute = new CompletableFuture<>();

    start(
        config().build(),
        String.class,
        (p, ctx) -> {
          attribute.complete(ctx.attributes().get("note"));
          handled.complete(p);
        });

    assertThat(handled).succeedsWithin(Duration.ofSeconds(20)).isEqualTo(body);
    assertThat(attribute.join()).hasSize(10 * KIB);
  }

  @Test
  void missingPayloadObjectIsADecodeDeadLetterNamingTheObject() {
    send("gone", true, Map.of());
    s3.client().deleteObject(b -> b.bucket(bucket).key(objects().get(0).key()));
    AtomicInteger runs = new AtomicInteger();

    start(config().build(), String.class, (p, ctx) -> runs.incrementAndGet());

    await().atMost(Duration.ofSeconds(20)).until(() -> fixture.depth(fixture.queues.dlqUrl()) == 1);
    Message dead = fixture.drainDlq().get(0);
    assertThat(dead.body()).contains("PayloadS3Pointer");
    assertThat(dead.messageAttributes().get(FailureReason.ATTRIBUTE).stringValue())
        .contains("DECODE")
        .contains("s3://" + bucket + "/");
    assertThat(runs).hasValue(0);
  }

  @Test
  void theSamePayloadSentTwiceUnderOneKeyIsADuplicateNotAReusedKey(LocalPostgres postgres) {
    HikariConfig pool = new HikariConfig();
    pool.setJdbcUrl(postgres.jdbcUrl(postgres.createDatabase("large_payloads")));
    pool.setUsername(LocalPostgres.USER);
    pool.setPassword(LocalPostgres.PASSWORD);
    pool.setMaximumPoolSize(4);
    try (HikariDataSource db = new HikariDataSource(pool)) {
      var key =
          Map.of(
              Idempotency.DEFAULT_KEY_ATTRIBUTE,
              MessageAttributeValue.builder().dataType("String").stringValue("order-7").build());
      String body = "{\"id\":\"order-7\",\"text\":\"" + "t".repeat(300 * KIB) + "\"}";
      AtomicInteger runs = new AtomicInteger();
      fixture.start(
          fixture
              .worker(config().build())
              .s3Client(s3Async)
              .idempotency(Idempotency.postgres(db).build())
              .handler(Document.class, (d, ctx) -> runs.incrementAndGet()));

      // A producer's retry: the same payload under the same key, stored as a second object.
      send(body, false, key);
      await().atMost(Duration.ofSeconds(20)).until(() -> runs.get() == 1);
      send(body, false, key);

      await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> fixture.counter("sqsworker.messages.duplicates") == 1);
      assertThat(runs).hasValue(1);
      assertThat(fixture.depth(fixture.queues.dlqUrl())).isZero();
      fixture.close();
    }
  }
}
