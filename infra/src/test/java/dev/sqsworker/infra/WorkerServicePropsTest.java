package dev.sqsworker.infra;

import static dev.sqsworker.infra.TestWorkers.aWorker;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.services.logs.RetentionDays;

class WorkerServicePropsTest {

  @Test
  void defaultsAreTheDocumentedConstants() {
    var props = aWorker("orders").build();

    assertThat(props.concurrency()).isEqualTo(WorkerServiceProps.DEFAULT_CONCURRENCY);
    assertThat(props.maxAttempts()).isEqualTo(5);
    // What the worker recommends at start: 5 runs, a release per run, a failed dead-letter send.
    assertThat(props.maxReceiveCount()).isEqualTo(11);
    // On FIFO, up to a batch less one released per run behind a failing message of the group.
    assertThat(aWorker("ledger").fifo(true).build().maxReceiveCount()).isEqualTo(51);
    assertThat(aWorker("ledger").maxAttempts(100).fifo(true).build().maxReceiveCount())
        .isEqualTo(1000);
    assertThat(props.visibilityTimeout()).isEqualTo(Duration.ofSeconds(30));
    assertThat(props.shutdownGrace()).isEqualTo(Duration.ofSeconds(25));
    assertThat(props.stopTimeout()).isEqualTo(Duration.ofSeconds(30));
    assertThat(props.httpPort()).isEqualTo(8080);
    assertThat(props.artifactPrefix()).isEqualTo("artifacts/");
    assertThat(props.artifactEncryption()).isEqualTo(ArtifactEncryption.S3_MANAGED);
    assertThat(props.minTasks()).isEqualTo(1);
    assertThat(props.maxTasks()).isEqualTo(4);
    assertThat(props.targetBacklogPerTask()).isEqualTo(100);
    assertThat(props.logRetention()).isEqualTo(RetentionDays.ONE_MONTH);
    assertThat(props.taskScaleInProtection()).isTrue();
    assertThat(props.fifo()).isFalse();
    assertThat(props.queueName()).isEmpty();
    assertThat(props.dbPasswordSecretField()).isEmpty();
    assertThat(props.healthCheckCommand())
        .containsExactly(
            "CMD-SHELL",
            "curl -fsS -o /dev/null http://localhost:8080/health/live"
                + " || wget -q -O /dev/null http://localhost:8080/health/live || exit 1");
  }

  @Test
  void healthCheckFollowsTheHttpPortUnlessSetExplicitly() {
    assertThat(aWorker("orders").httpPort(9000).build().healthCheckCommand().get(1))
        .contains("http://localhost:9000/health/live");
    var custom = List.of("CMD", "/app/bin/health", "--live");
    assertThat(aWorker("orders").healthCheckCommand(custom).httpPort(9000).build())
        .extracting(WorkerServiceProps::healthCheckCommand)
        .isEqualTo(custom);
  }

  @Test
  void toBuilderKeepsEveryValueAndDerivesVariants() {
    var original =
        aWorker("orders")
            .fifo(true)
            .maxAttempts(9)
            .queueName("orders-main")
            .dbPasswordSecretField("password")
            .httpPort(9100)
            .build();
    var copy = original.toBuilder().build();
    var variant = original.toBuilder().httpPort(9200).build();

    assertThat(copy).usingRecursiveComparison().isEqualTo(original);
    assertThat(variant.healthCheckCommand().get(1)).contains(":9200/");
    assertThat(variant.maxAttempts()).isEqualTo(9);
  }

  @Test
  void rejectsOutOfRangeValuesNamingTheOption() {
    var b = WorkerServiceProps.builder();
    assertThatThrownBy(() -> b.maxAttempts(0))
        .hasMessage("maxAttempts must be between 1 and 100, was 0");
    assertThatThrownBy(() -> b.concurrency(1001))
        .hasMessage("concurrency must be between 1 and 1000, was 1001");
    assertThatThrownBy(() -> b.redriveMargin(0))
        .hasMessage("redriveMargin must be between 1 and 999, was 0");
    assertThatThrownBy(() -> b.httpPort(0)).hasMessageStartingWith("httpPort must be between");
    assertThatThrownBy(() -> b.minTasks(-1))
        .hasMessage("minTasks must be between 0 and 1000, was -1");
    assertThatThrownBy(() -> b.deadLetterGrowthThreshold(0))
        .hasMessage("deadLetterGrowthThreshold must be between 1 and 100000, was 0");
    assertThatThrownBy(() -> b.oldestMessageAlarmAge(java.time.Duration.ofSeconds(90)))
        .hasMessage("oldestMessageAlarmAge must be whole minutes, was PT1M30S");
    assertThatThrownBy(() -> b.visibilityTimeout(Duration.ofHours(13)))
        .hasMessageStartingWith("visibilityTimeout must be between PT1S and PT12H");
    assertThatThrownBy(() -> b.visibilityTimeout(Duration.ofMillis(1500)))
        .hasMessage("visibilityTimeout must be whole seconds, was PT1.5S");
    assertThatThrownBy(() -> b.shutdownGrace(Duration.ofSeconds(120)))
        .hasMessageStartingWith("shutdownGrace must be between");
    assertThatThrownBy(() -> b.cpu(300))
        .hasMessage("cpu must be one of 256, 512, 1024, 2048, 4096, 8192, 16384, was 300");
    assertThatThrownBy(() -> b.noncurrentVersionExpirationDays(0))
        .hasMessageStartingWith("noncurrentVersionExpirationDays must be between 1 and 3650");
  }

  @Test
  void rejectsMalformedNamesNamingTheOption() {
    var b = WorkerServiceProps.builder();
    assertThatThrownBy(() -> b.workerName("Orders_1"))
        .hasMessageStartingWith("workerName must be 1 to 31 lower-case letters");
    assertThatThrownBy(() -> b.workerName("orders-")).hasMessageContaining("not ending in '-'");
    assertThatThrownBy(() -> b.workerName("o".repeat(32))).hasMessageStartingWith("workerName");
    assertThat(b.workerName("o".repeat(31))).isNotNull();
    assertThatThrownBy(() -> b.handlerClass("com.acme.Bad Handler"))
        .hasMessageStartingWith("handlerClass must be a fully qualified Java class name");
    assertThatThrownBy(() -> b.jdbcUrl("postgres://db/x"))
        .hasMessageStartingWith("jdbcUrl must start with 'jdbc:'");
    assertThatThrownBy(() -> b.dbPasswordSecretArn("orders/db-password"))
        .hasMessageStartingWith("dbPasswordSecretArn must be a complete Secrets Manager ARN");
    assertThatThrownBy(
            () ->
                b.dbPasswordSecretArn(
                    "arn:aws:secretsmanager:eu-west-1:123456789012:secret:orders/db-password"))
        .hasMessageContaining("six-character suffix");
    assertThatThrownBy(() -> b.artifactPrefix("artifacts"))
        .hasMessageStartingWith("artifactPrefix must be path segments");
    assertThatThrownBy(() -> b.artifactPrefix("/artifacts/"))
        .hasMessageStartingWith("artifactPrefix must be path segments");
    assertThatThrownBy(() -> b.artifactPrefix("a/*/"))
        .hasMessageStartingWith("artifactPrefix must be path segments");
    assertThatThrownBy(() -> b.queueName("orders.fifo"))
        .hasMessageStartingWith("queueName must be 1 to 71 letters");
    assertThatThrownBy(() -> b.healthCheckCommand(List.of("curl", "x")))
        .hasMessageStartingWith("healthCheckCommand must start with CMD or CMD-SHELL");
  }

  @Test
  void buildListsEveryMissingRequiredOption() {
    assertThatThrownBy(() -> WorkerServiceProps.builder().workerName("orders").build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "invalid worker service props for 'orders': image is required; handlerClass is"
                + " required; jdbcUrl is required; jdbcUser is required; dbPasswordSecretArn is"
                + " required");
  }

  @Test
  void stopTimeoutMustFitFargatesMaximum() {
    var b =
        aWorker("orders")
            .shutdownGrace(Duration.ofSeconds(100))
            .stopTimeoutMargin(Duration.ofSeconds(25));
    assertThatThrownBy(b::build)
        .hasMessageContaining(
            "shutdownGrace + stopTimeoutMargin must be at most 120 s (Fargate's maximum stop"
                + " timeout), was 125 s");
    assertThat(b.stopTimeoutMargin(Duration.ofSeconds(20)).build().stopTimeout())
        .isEqualTo(Duration.ofSeconds(120));
  }

  @Test
  void minTasksMustNotExceedMaxTasks() {
    assertThatThrownBy(() -> aWorker("orders").minTasks(5).maxTasks(4).build())
        .hasMessageContaining("minTasks must not exceed maxTasks, was minTasks=5 maxTasks=4");
  }

  @Test
  void memoryMustSuitTheCpuSize() {
    assertThatThrownBy(() -> aWorker("orders").cpu(256).memoryMiB(4096).build())
        .hasMessageContaining(
            "memoryMiB must be between 512 and 2048 in steps of 512 for cpu 256, was 4096");
    assertThat(aWorker("orders").cpu(4096).memoryMiB(30720).build().memoryMiB()).isEqualTo(30720);
    assertThatThrownBy(() -> aWorker("orders").cpu(8192).memoryMiB(17408).build())
        .hasMessageContaining("in steps of 4096 for cpu 8192");
  }

  @Test
  void imagesValidateTheirSource() {
    assertThatThrownBy(() -> WorkerImage.fromName(" "))
        .hasMessageStartingWith("imageName must be non-blank");
    assertThatThrownBy(() -> WorkerImage.fromEcr("Acme/Invoices", "1.0"))
        .hasMessageStartingWith("ecrRepository must be a valid ECR repository name");
    assertThatThrownBy(() -> WorkerImage.fromEcr("acme/invoices", "-bad"))
        .hasMessageStartingWith("imageTag must be a valid image tag");
    assertThat(WorkerImage.fromEcr("acme/invoices", "2.0.1"))
        .isEqualTo(new WorkerImage.Ecr("acme/invoices", "2.0.1"));
  }

  @Test
  void stackPropsRejectDuplicateWorkersAndAClusterWithoutItsVpc() {
    var orders = aWorker("orders").build();
    assertThatThrownBy(() -> WorkerStackProps.builder().build())
        .hasMessage("workers must name at least one worker");
    assertThatThrownBy(() -> WorkerStackProps.builder().worker(orders).worker(orders).build())
        .hasMessage("workers must have distinct names, 'orders' appears twice");
    assertThatThrownBy(
            () -> WorkerStackProps.builder().worker(orders).clusterName("workers").build())
        .hasMessage("clusterName needs vpcId: an existing cluster's VPC");
    assertThatThrownBy(() -> WorkerStackProps.builder().vpcId("my-vpc"))
        .hasMessageStartingWith("vpcId must look like vpc-");
  }
}
