package dev.sqsworker.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.ReceiveMessageRequest;

@WithLocalServices
class LocalSqsIT {

  @Test
  void redrivePolicyMovesAMessageToTheDlqAfterMaxReceives(LocalSqs sqs) {
    QueuePair pair = sqs.createQueueWithDlq("testkit-redrive", 2);
    SqsClient client = sqs.client();
    client.sendMessage(b -> b.queueUrl(pair.queueUrl()).messageBody("poison"));

    // Receive twice with a zero visibility timeout so each receive counts and the message returns.
    for (int i = 1; i <= 2; i++) {
      List<Message> got = receive(client, pair.queueUrl(), 0);
      assertThat(got).hasSize(1);
      assertThat(got.get(0).attributes())
          .containsEntry(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT, String.valueOf(i));
    }

    // The third receive is past maxReceiveCount: the server moves the message to the DLQ.
    assertThat(receive(client, pair.queueUrl(), 0)).isEmpty();
    List<Message> dead = receive(client, pair.dlqUrl(), 30);
    assertThat(dead).extracting(Message::body).containsExactly("poison");
  }

  @Test
  void fifoQueuesGetAFifoDlq(LocalSqs sqs) {
    QueuePair pair = sqs.createQueueWithDlq("testkit-orders.fifo", 3);
    assertThat(pair.dlqUrl()).endsWith("testkit-orders-dlq.fifo");
    assertThat(pair.dlqArn()).endsWith(":testkit-orders-dlq.fifo");
  }

  private static List<Message> receive(SqsClient client, String queueUrl, int visibility) {
    return client
        .receiveMessage(
            ReceiveMessageRequest.builder()
                .queueUrl(queueUrl)
                .maxNumberOfMessages(10)
                .visibilityTimeout(visibility)
                .waitTimeSeconds((int) Duration.ofSeconds(1).toSeconds())
                .messageSystemAttributeNames(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT)
                .build())
        .messages();
  }
}
