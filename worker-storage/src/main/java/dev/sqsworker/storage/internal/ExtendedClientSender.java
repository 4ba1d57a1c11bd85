package dev.sqsworker.storage.internal;

import com.amazon.sqs.javamessaging.AmazonSQSExtendedClient;
import com.amazon.sqs.javamessaging.ExtendedClientConfiguration;
import dev.sqsworker.storage.LargePayloadConfig;
import dev.sqsworker.storage.LargePayloadSender;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.SendMessageRequest;

/** {@link LargePayloadSender} on the Amazon SQS Extended Client Library. */
public final class ExtendedClientSender implements LargePayloadSender {

  private final AmazonSQSExtendedClient client;

  /** A sender through these clients. */
  public ExtendedClientSender(SqsClient sqs, S3Client s3, LargePayloadConfig config) {
    ExtendedClientConfiguration extended =
        new ExtendedClientConfiguration()
            .withPayloadSupportEnabled(s3, config.bucket())
            .withPayloadSizeThreshold(config.threshold())
            .withAlwaysThroughS3(config.alwaysThroughS3())
            // The current attribute name only: ExtendedPayloadSize, not the legacy one.
            .withLegacyReservedAttributeNameDisabled();
    if (!config.keyPrefix().isEmpty()) {
      extended = extended.withS3KeyPrefix(config.keyPrefix());
    }
    this.client = new AmazonSQSExtendedClient(sqs, extended);
  }

  @Override
  public String send(SendMessageRequest request) {
    return client.sendMessage(request).messageId();
  }
}
