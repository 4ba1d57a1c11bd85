package dev.sqsworker.dlq;

import dev.sqsworker.core.FailureKind;
import dev.sqsworker.core.FailureReason;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;

/** Test data: dead letters as the worker writes them, and helpers to read queues back. */
public final class Letters {

  private String body = "{}";
  private String errorClass = "com.example.BoomException";
  private String errorMessage = "boom";
  private String fingerprint = "f00d";
  private FailureKind kind = FailureKind.NON_RETRYABLE;
  private String sourceQueue = "http://localhost/000000000000/orders";
  private Instant lastFailureAt = Instant.parse("2026-01-01T00:00:00Z");
  private int attempts = 3;
  private boolean withReason = true;
  private String groupId;
  private int receiveCount = 1;
  private final Map<String, MessageAttributeValue> attributes = new LinkedHashMap<>();

  private Letters() {}

  /** A dead letter with a NON_RETRYABLE reason and an empty JSON body. */
  public static Letters aDeadLetter() {
    return new Letters();
  }

  public Letters body(String body) {
    this.body = body;
    return this;
  }

  public Letters errorClass(String errorClass) {
    this.errorClass = errorClass;
    return this;
  }

  public Letters fingerprint(String fingerprint) {
    this.fingerprint = fingerprint;
    return this;
  }

  public Letters kind(FailureKind kind) {
    this.kind = kind;
    return this;
  }

  public Letters from(String sourceQueueUrl) {
    this.sourceQueue = sourceQueueUrl;
    return this;
  }

  public Letters failedAt(Instant lastFailureAt) {
    this.lastFailureAt = lastFailureAt;
    return this;
  }

  public Letters attempts(int attempts) {
    this.attempts = attempts;
    return this;
  }

  public Letters receiveCount(int receiveCount) {
    this.receiveCount = receiveCount;
    return this;
  }

  public Letters withoutReason() {
    this.withReason = false;
    return this;
  }

  public Letters group(String groupId) {
    this.groupId = groupId;
    return this;
  }

  public Letters attribute(String name, String value) {
    attributes.put(
        name, MessageAttributeValue.builder().dataType("String").stringValue(value).build());
    return this;
  }

  public Letters binaryAttribute(String name, byte[] value) {
    attributes.put(
        name,
        MessageAttributeValue.builder()
            .dataType("Binary")
            .binaryValue(SdkBytes.fromByteArray(value))
            .build());
    return this;
  }

  public FailureReason reason() {
    return new FailureReason(
        kind,
        sourceQueue,
        errorClass,
        errorMessage,
        fingerprint,
        attempts,
        lastFailureAt,
        lastFailureAt,
        "worker-1");
  }

  /** All attributes the message carries, the failure reason included. */
  public Map<String, MessageAttributeValue> allAttributes() {
    Map<String, MessageAttributeValue> all = new LinkedHashMap<>(attributes);
    if (withReason) {
      all.put(
          FailureReason.ATTRIBUTE,
          MessageAttributeValue.builder()
              .dataType("String")
              .stringValue(reason().toJson())
              .build());
    }
    return all;
  }

  /** The dead letter as the library would read it (for filter tests). */
  public DeadLetter build() {
    return new DeadLetter(
        "m-1",
        body,
        allAttributes(),
        withReason ? Optional.of(reason()) : Optional.empty(),
        groupId,
        groupId == null ? null : "d-1",
        receiveCount,
        lastFailureAt);
  }

  /** Sends it to a queue, as the worker's dead-letter publisher does. */
  public void sendTo(SqsClient sqs, String queueUrl) {
    sqs.sendMessage(
        b -> {
          b.queueUrl(queueUrl).messageBody(body).messageAttributes(allAttributes());
          if (queueUrl.endsWith(".fifo")) {
            b.messageGroupId(groupId == null ? "g" : groupId)
                .messageDeduplicationId(java.util.UUID.randomUUID().toString());
          }
        });
  }

  /**
   * Sends it as a large-payload pointer message, as a worker's dead letter of one is: the body to
   * an S3 object and the pointer with the size attribute to the queue, written by the Amazon SQS
   * Extended Client Library itself.
   *
   * @return the message id
   */
  public String sendThroughS3(
      SqsClient sqs,
      software.amazon.awssdk.services.s3.S3Client s3,
      String bucket,
      String queueUrl) {
    var extended =
        new com.amazon.sqs.javamessaging.AmazonSQSExtendedClient(
            sqs,
            new com.amazon.sqs.javamessaging.ExtendedClientConfiguration()
                .withPayloadSupportEnabled(s3, bucket)
                .withAlwaysThroughS3(true));
    return extended
        .sendMessage(b -> b.queueUrl(queueUrl).messageBody(body).messageAttributes(allAttributes()))
        .messageId();
  }

  /** Receives and deletes everything visible in a queue (for assertions at the end of a test). */
  public static List<Message> drain(SqsClient sqs, String queueUrl) {
    List<Message> all = new ArrayList<>();
    while (true) {
      List<Message> batch =
          sqs.receiveMessage(
                  b ->
                      b.queueUrl(queueUrl)
                          .maxNumberOfMessages(10)
                          .waitTimeSeconds(0)
                          .messageAttributeNames("All")
                          .messageSystemAttributeNames(MessageSystemAttributeName.ALL))
              .messages();
      if (batch.isEmpty()) {
        return all;
      }
      for (Message message : batch) {
        all.add(message);
        sqs.deleteMessage(b -> b.queueUrl(queueUrl).receiptHandle(message.receiptHandle()));
      }
    }
  }

  /** SQS's approximate count of visible messages. */
  public static long visible(SqsClient sqs, String queueUrl) {
    return Long.parseLong(
        sqs.getQueueAttributes(
                b ->
                    b.queueUrl(queueUrl)
                        .attributeNames(
                            software.amazon.awssdk.services.sqs.model.QueueAttributeName
                                .APPROXIMATE_NUMBER_OF_MESSAGES))
            .attributes()
            .get(
                software.amazon.awssdk.services.sqs.model.QueueAttributeName
                    .APPROXIMATE_NUMBER_OF_MESSAGES));
  }
}
