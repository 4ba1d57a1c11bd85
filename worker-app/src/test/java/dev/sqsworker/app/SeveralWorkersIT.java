package dev.sqsworker.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sqsworker.testkit.LocalSqs;
import dev.sqsworker.testkit.QueuePair;
import dev.sqsworker.testkit.WithLocalServices;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Two queues, two handlers, one process: one health and metrics endpoint for both. */
@WithLocalServices
class SeveralWorkersIT {

  @Test
  void twoWorkersWithTheirOwnHandlersShareOneHealthAndMetricsEndpoint(LocalSqs sqs)
      throws Exception {
    QueuePair orders = sqs.createQueueWithDlq("several-orders", 5);
    QueuePair refunds = sqs.createQueueWithDlq("several-refunds", 5);
    Map<String, String> env = new HashMap<>(WorkerApplicationIT.environment(sqs, orders));
    env.remove("SQSWORKER_QUEUE_URL");
    env.remove("SQSWORKER_DLQ_URL");
    env.remove("SQSWORKER_HANDLER_CLASS");
    env.put("SQSWORKER_WORKERS", "orders,refunds");
    env.put("SQSWORKER_ORDERS_QUEUE_URL", orders.queueUrl());
    env.put("SQSWORKER_ORDERS_HANDLER_CLASS", RecordingTextHandlers.Orders.class.getName());
    env.put("SQSWORKER_REFUNDS_QUEUE_URL", refunds.queueUrl());
    env.put("SQSWORKER_REFUNDS_HANDLER_CLASS", RecordingTextHandlers.Refunds.class.getName());
    env.put("SQSWORKER_REFUNDS_CONCURRENCY", "2");

    WorkerApplication app = WorkerApplication.fromEnvironment(env);
    try {
      app.start();
      assertThat(app.workers()).hasSize(2);
      assertThat(app.workers().get(1).config().concurrency()).isEqualTo(2);
      for (int i = 0; i < 5; i++) {
        String n = String.valueOf(i);
        sqs.client().sendMessage(b -> b.queueUrl(orders.queueUrl()).messageBody("order-" + n));
        sqs.client().sendMessage(b -> b.queueUrl(refunds.queueUrl()).messageBody("refund-" + n));
      }
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () ->
                  RecordingTextHandlers.ORDERS.size() == 5
                      && RecordingTextHandlers.REFUNDS.size() == 5);
      assertThat(RecordingTextHandlers.ORDERS).allMatch(b -> b.startsWith("order-"));
      assertThat(RecordingTextHandlers.REFUNDS).allMatch(b -> b.startsWith("refund-"));

      JsonNode ready =
          WorkerApplicationIT.JSON.readTree(
              WorkerApplicationIT.get(app.httpPort(), "/health/ready").body());
      List<String> checks = new ArrayList<>();
      ready.get("checks").forEach(c -> checks.add(c.get("name").asText()));
      assertThat(checks).contains("worker:several-orders", "worker:several-refunds");
      assertThat(ready.get("status").asText()).isEqualTo("UP");

      String metrics = WorkerApplicationIT.get(app.httpPort(), "/metrics").body();
      assertThat(metrics)
          .containsPattern(
              "sqsworker_messages_succeeded_total\\{[^}]*worker=\"orders\"[^}]*\\} 5\\.0")
          .containsPattern(
              "sqsworker_messages_succeeded_total\\{[^}]*worker=\"refunds\"[^}]*\\} 5\\.0");
    } finally {
      app.close();
    }
    assertThat(app.workers())
        .allSatisfy(w -> assertThat(w.state()).isEqualTo(dev.sqsworker.core.Worker.State.STOPPED));
  }
}
