package dev.sqsworker.core.internal.settle;

import dev.sqsworker.core.DeadLetterPublisher;
import dev.sqsworker.core.FailureReason;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeNameForSends;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeValue;
import software.amazon.awssdk.services.sqs.model.SendMessageRequest;

/**
 * Sends a dead message to the dead-letter queue: the same body, the user's attributes, the trace
 * header, and the failure reason as one more attribute. On a FIFO queue it keeps the message group
 * and uses the message id as deduplication id, so a send repeated after a crash is not stored
 * twice.
 */
public final class SqsDeadLetterPublisher implements DeadLetterPublisher {

  /** SQS's limit of message attributes per message. */
  static final int MAX_ATTRIBUTES = 10;

  private static final Logger LOG = LoggerFactory.getLogger(SqsDeadLetterPublisher.class);

  private final SqsAsyncClient client;
  private final String dlqUrl;

  /** Creates the publisher for a dead-letter queue. */
  public SqsDeadLetterPublisher(SqsAsyncClient client, String dlqUrl) {
    this.client = client;
    this.dlqUrl = dlqUrl;
  }

  @Override
  public CompletableFuture<Void> publish(Message message, FailureReason reason) {
    return client.sendMessage(request(message, reason)).thenApply(r -> null);
  }

  /** The send request for a dead message. */
  SendMessageRequest request(Message message, FailureReason reason) {
    Map<String, MessageAttributeValue> attributes = new TreeMap<>(message.messageAttributes());
    attributes.remove(FailureReason.ATTRIBUTE);
    if (attributes.size() >= MAX_ATTRIBUTES) {
      // SQS takes ten attributes; the reason is what the DLQ tools need, so it wins the last slot.
      var dropped =
          new TreeMap<>(attributes)
              .descendingKeySet().stream().limit(attributes.size() - (MAX_ATTRIBUTES - 1)).toList();
      dropped.forEach(attributes::remove);
      LOG.warn(
          "Message {} from {} has {} attributes; dropped {} to fit the failure reason",
          message.messageId(),
          reason.sourceQueue(),
          message.messageAttributes().size(),
          dropped);
    }
    attributes.put(
        FailureReason.ATTRIBUTE,
        MessageAttributeValue.builder().dataType("String").stringValue(reason.toJson()).build());
    SendMessageRequest.Builder send =
        SendMessageRequest.builder()
            .queueUrl(dlqUrl)
            .messageBody(message.body())
            .messageAttributes(attributes);
    String trace = message.attributes().get(MessageSystemAttributeName.AWS_TRACE_HEADER);
    if (trace != null) {
      send.messageSystemAttributes(
          Map.of(
              MessageSystemAttributeNameForSends.AWS_TRACE_HEADER,
              MessageSystemAttributeValue.builder().dataType("String").stringValue(trace).build()));
    }
    if (dlqUrl.endsWith(".fifo")) {
      String group = message.attributes().get(MessageSystemAttributeName.MESSAGE_GROUP_ID);
      send.messageGroupId(group != null ? group : "sqsworker-dlq");
      send.messageDeduplicationId(message.messageId());
    }
    return send.build();
  }
}
