package dev.sqsworker.samples.quickstart;

import static org.awaitility.Awaitility.await;

import dev.sqsworker.core.Worker;
import dev.sqsworker.core.WorkerConfig;
import dev.sqsworker.testkit.LocalSqs;
import dev.sqsworker.testkit.QueuePair;
import dev.sqsworker.testkit.WithLocalServices;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;

/** The README's "Testing your handlers" example, compiled and run. */
@WithLocalServices
class ReadmeTestingIT {

  record Order(String orderId, String customer, int quantity) {}

  // snippet:readme-testing
  @Test
  void storesAnOrder(LocalSqs sqs) throws Exception {
    QueuePair queues = sqs.createQueueWithDlq("readme-orders", 10); // a queue and its DLQ
    List<String> stored = new CopyOnWriteArrayList<>();
    try (SqsAsyncClient client = sqs.newAsyncClient(); // pointed at the embedded SQS
        Worker worker =
            Worker.builder()
                .client(client)
                .config(WorkerConfig.builder().queueUrl(queues.queueUrl()).build())
                .handler(Order.class, (order, context) -> stored.add(order.orderId()))
                .build()) {
      worker.start();
      sqs.client()
          .sendMessage(
              b ->
                  b.queueUrl(queues.queueUrl())
                      .messageBody("{\"orderId\":\"o-1\",\"customer\":\"ada\",\"quantity\":1}"));
      await().atMost(Duration.ofSeconds(10)).until(() -> stored.contains("o-1"));
    }
  }
  // end:readme-testing
}
