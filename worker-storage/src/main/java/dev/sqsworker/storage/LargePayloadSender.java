package dev.sqsworker.storage;

import dev.sqsworker.storage.internal.ExtendedClientSender;
import java.util.Map;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.SendMessageRequest;

/**
 * Sends messages whose body would be too large for SQS through S3, as the Amazon SQS Extended
 * Client Library does (it is the library underneath): the body goes to an S3 object and the message
 * carries the library's pointer and its {@code ExtendedPayloadSize} attribute, so any consumer of
 * that library, and a worker with large payloads enabled, reads the original body. A body goes to
 * S3 when its size plus its attributes' size exceeds the threshold, so a send never fails on SQS's
 * size limit.
 */
public interface LargePayloadSender {

  /** A sender through these clients; neither is closed by the sender. */
  static LargePayloadSender create(SqsClient sqs, S3Client s3, LargePayloadConfig config) {
    return new ExtendedClientSender(sqs, s3, config);
  }

  /**
   * Sends one message, its body through S3 if it is large.
   *
   * @return the SQS message id
   * @throws software.amazon.awssdk.core.exception.SdkException if SQS or S3 refuses
   */
  default String send(String queueUrl, String body, Map<String, MessageAttributeValue> attributes) {
    return send(
        SendMessageRequest.builder()
            .queueUrl(queueUrl)
            .messageBody(body)
            .messageAttributes(attributes)
            .build());
  }

  /**
   * Sends one message (FIFO group, delay and attributes as given), its body through S3 if large.
   *
   * @return the SQS message id
   */
  String send(SendMessageRequest request);
}
