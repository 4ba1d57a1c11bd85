package dev.sqsworker.infra;

import java.time.Duration;
import software.amazon.awscdk.services.ecs.ICluster;
import software.constructs.Construct;

/**
 * The Java examples of docs/deploy-ecs.md: the regions between {@code // snippet:NAME} and {@code
 * // end:NAME} are the guide's code blocks verbatim (checked by the docs' snippet test), and the
 * template tests synthesize them, so the guide shows code that compiles and deploys as described.
 */
final class DeployGuideExamples {

  private DeployGuideExamples() {}

  /** Two queues in one service: orders with the service's handler, refunds-eu with its own. */
  static WorkerService severalQueues(Construct stack, ICluster cluster, String secretArn) {
    // snippet:several-queues
    var props =
        WorkerServiceProps.builder()
            .workerName("shop")
            .image(WorkerImage.fromEcr("acme/shop-worker", "1.4.0"))
            .handlerClass("com.acme.shop.OrderHandler") // for every queue that names none
            .jdbcUrl("jdbc:postgresql://shop-db.internal:5432/shop")
            .jdbcUser("shop_worker")
            .dbPasswordSecretArn(secretArn)
            .concurrency(10) // the default of every queue
            .targetBacklogPerTask(200) // visible messages of both queues per task
            .queue(WorkerQueue.builder("orders").concurrency(20).build())
            .queue(
                WorkerQueue.builder("refunds-eu")
                    .handlerClass("com.acme.shop.RefundHandler")
                    .maxAttempts(3)
                    .visibilityTimeout(Duration.ofMinutes(2))
                    .oldestMessageAlarmAge(Duration.ofMinutes(30))
                    .build())
            .build();
    var shop = new WorkerService(stack, "Shop", cluster, props);
    // end:several-queues
    return shop;
  }
}
