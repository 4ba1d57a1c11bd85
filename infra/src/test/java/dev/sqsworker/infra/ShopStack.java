package dev.sqsworker.infra;

import static dev.sqsworker.infra.TestWorkers.aWorker;

import java.time.Duration;
import software.amazon.awscdk.App;
import software.amazon.awscdk.AppProps;
import software.amazon.awscdk.assertions.Template;

/**
 * The fixture most template tests share: a stack with two workers, {@code orders} with every
 * default, and {@code invoices} FIFO, from ECR, KMS-encrypted, with its own attempts, grace,
 * scaling and secret field. Synthesized once per test JVM, since synthesis is the slow part.
 */
final class ShopStack {

  static final WorkerServiceProps ORDERS = aWorker("orders").build();
  static final WorkerServiceProps INVOICES =
      aWorker("invoices")
          .fifo(true)
          .image(WorkerImage.fromEcr("acme/invoices", "2.0.1"))
          .artifactEncryption(ArtifactEncryption.KMS_MANAGED)
          .dbPasswordSecretField("password")
          .maxAttempts(3)
          .redriveMargin(3)
          .visibilityTimeout(Duration.ofMinutes(2))
          .shutdownGrace(Duration.ofSeconds(90))
          .stopTimeoutMargin(Duration.ofSeconds(30))
          .noncurrentVersionExpirationDays(7)
          .concurrency(4)
          .httpPort(9090)
          .artifactPrefix("invoices/pdf/")
          .minTasks(2)
          .maxTasks(20)
          .targetBacklogPerTask(50)
          .scaleOutCooldown(Duration.ofSeconds(30))
          .scaleInCooldown(Duration.ofMinutes(10))
          .cpuArchitecture(CpuArchitecture.ARM64)
          .cpu(1024)
          .memoryMiB(3072)
          .build();

  private static Template template;

  private ShopStack() {}

  static synchronized Template template() {
    if (template == null) {
      var app = new App(AppProps.builder().context(CdkContext.flags()).build());
      var stack =
          new WorkerStack(
              app, "Shop", WorkerStackProps.builder().worker(ORDERS).worker(INVOICES).build());
      template = Template.fromStack(stack);
    }
    return template;
  }

  /** Logical-id prefix of a worker's resources. */
  static String prefix(String worker) {
    return Character.toUpperCase(worker.charAt(0)) + worker.substring(1) + "Worker";
  }

  static WorkerServiceProps props(String worker) {
    return worker.equals("orders") ? ORDERS : INVOICES;
  }
}
