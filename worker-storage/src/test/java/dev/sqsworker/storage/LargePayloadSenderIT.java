package dev.sqsworker.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.amazon.sqs.javamessaging.AmazonSQSExtendedClient;
import com.amazon.sqs.javamessaging.ExtendedClientConfiguration;
import dev.sqsworker.testkit.LocalS3;
import dev.sqsworker.testkit.LocalSqs;
import dev.sqsworker.testkit.S3Server;
import dev.sqsworker.testkit.WithLocalServices;
import dev.sqsworker.testkit.faults.SqsFaults;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;

/**
 * The producer helper on ElasticMQ and S3Mock. ElasticMQ does not enforce SQS's size rule, so an
 * interceptor refuses sends above 256 KiB (body plus attributes) as SQS does.
 */
@WithLocalServices
class LargePayloadSenderIT {

  private static final int KIB = 1024;

  private final SqsFaults faults = new SqsFaults(19);
  private SqsClient sqs;
  private S3Server s3;
  private String bucket;
  private String queue;

  @BeforeEach
  void setUp(LocalSqs localSqs, LocalS3 localS3) {
    var endpoint = localSqs.endpoint();
    sqs =
        SqsClient.builder()
            .endpointOverride(endpoint.uri())
            .region(endpoint.sdkRegion())
            .credentialsProvider(endpoint.credentialsProvider())
            .overrideConfiguration(c -> c.addExecutionInterceptor(faults))
            .build();
    faults.on("SendMessage").always().refuseLargerThan(LargePayloadConfig.SQS_DEFAULT_MAX_SIZE);
    s3 = localS3.full();
    bucket = s3.createBucket("payloads-" + System.identityHashCode(this));
    queue = localSqs.createQueue("large-" + System.identityHashCode(this));
  }

  @AfterEach
  void tearDown() {
    sqs.close();
  }

  private LargePayloadSender sender() {
    return LargePayloadSender.create(
        sqs, s3.client(), LargePayloadConfig.of(bucket).withKeyPrefix("payloads/"));
  }

  private List<S3Object> objects() {
    return s3.client().listObjectsV2(b -> b.bucket(bucket)).contents();
  }

  private static Map<String, MessageAttributeValue> attributes(int bytes) {
    return Map.of(
        "note",
        MessageAttributeValue.builder().dataType("String").stringValue("n".repeat(bytes)).build());
  }

  private List<Message> receiveAll() {
    return sqs.receiveMessage(
            b -> b.queueUrl(queue).maxNumberOfMessages(10).messageAttributeNames("All"))
        .messages();
  }

  @Test
  void bodyNearTheLimitWithAttributesGoesToS3InsteadOfARejectedSend() {
    String body = "b".repeat(250 * KIB);

    sender().send(queue, body, attributes(10 * KIB));

    assertThat(objects())
        .singleElement()
        .satisfies(o -> assertThat(o.key()).startsWith("payloads/"));
    Message received = receiveAll().get(0);
    assertThat(received.body()).contains("software.amazon.payloadoffloading.PayloadS3Pointer");
    assertThat(received.messageAttributes()).containsKeys("ExtendedPayloadSize", "note");
    assertThat(received.messageAttributes().get("ExtendedPayloadSize").stringValue())
        .isEqualTo(Integer.toString(250 * KIB));
  }

  @Test
  void theSameSendWithoutTheHelperIsRefusedBySqsSizeRule() {
    assertThatThrownBy(
            () ->
                sqs.sendMessage(
                    b ->
                        b.queueUrl(queue)
                            .messageBody("b".repeat(250 * KIB))
                            .messageAttributes(attributes(10 * KIB))))
        .isInstanceOf(SdkException.class)
        .hasMessageContaining("limit 262144");
  }

  @Test
  void bodyJustUnderTheLimitStaysInline() {
    // 256 KiB exactly, with its attribute: the largest message SQS takes as it is.
    int attribute = "note".length() + "String".length() + KIB;
    String body = "s".repeat(LargePayloadConfig.SQS_DEFAULT_MAX_SIZE - attribute);

    sender().send(queue, body, attributes(KIB));

    assertThat(objects()).isEmpty();
    assertThat(receiveAll().get(0).body()).isEqualTo(body);
  }

  @Test
  void theLibrarysOwnConsumerReadsWhatTheHelperSent() {
    String body = "p".repeat(5 * KIB * KIB);
    sender().send(queue, body, Map.of());

    var consumer =
        new AmazonSQSExtendedClient(
            sqs, new ExtendedClientConfiguration().withPayloadSupportEnabled(s3.client(), bucket));
    assertThat(
            consumer
                .receiveMessage(b -> b.queueUrl(queue).messageAttributeNames("All"))
                .messages()
                .get(0)
                .body())
        .isEqualTo(body);
  }

  @Test
  void payloadBucketSetupExpiresPayloadsAndKeepsVersions() {
    BucketPolicy policy =
        LargePayloadConfig.of(bucket)
            .withKeyPrefix("payloads/")
            .bucketPolicy(LargePayloadConfig.DEFAULT_RETENTION_DAYS)
            // S3Mock has no default-encryption or public-access-block API (see BucketSetupIT).
            .encryption(null)
            .blockPublicAccess(false)
            .build();
    BucketSetup setup = BucketSetup.create(s3.client());

    BucketSetupReport first = setup.apply(bucket, policy);
    BucketSetupReport second = setup.apply(bucket, policy);

    assertThat(first.changed())
        .containsExactlyInAnyOrder(BucketSetting.VERSIONING, BucketSetting.LIFECYCLE);
    assertThat(second.changed()).isEmpty();
    var rule = s3.client().getBucketLifecycleConfiguration(b -> b.bucket(bucket)).rules().get(0);
    assertThat(rule.filter().prefix()).isEqualTo("payloads/");
    assertThat(rule.expiration().days()).isEqualTo(14);
    assertThat(rule.transitions()).isEmpty();
  }
}
