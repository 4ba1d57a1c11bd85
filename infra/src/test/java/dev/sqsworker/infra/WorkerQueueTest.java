package dev.sqsworker.infra;

import static dev.sqsworker.infra.TestWorkers.aWorker;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sqsworker.infra.internal.QueueSettings;
import java.time.Duration;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The several-queues form of the props: queue validation and the service's values as defaults. */
class WorkerQueueTest {

  @Test
  void aQueueTakesTheServicesValueForEveryOptionItDoesNotSet() {
    var props =
        aWorker("shop")
            .concurrency(12)
            .maxAttempts(4)
            .redriveMargin(3)
            .visibilityTimeout(Duration.ofSeconds(45))
            .queue(WorkerQueue.builder("orders").build())
            .queue(
                WorkerQueue.builder("refunds")
                    .handlerClass("com.acme.Refunds")
                    .queueName("legacy-refunds")
                    .fifo(true)
                    .concurrency(2)
                    .maxAttempts(8)
                    .redriveMargin(1)
                    .visibilityTimeout(Duration.ofMinutes(5))
                    .messageRetention(Duration.ofDays(7))
                    .oldestMessageAlarmAge(Duration.ofMinutes(5))
                    .deadLetterGrowthThreshold(50)
                    .build())
            .build();
    var settings = QueueSettings.of(props);
    assertThat(settings.get(0))
        .isEqualTo(
            new QueueSettings(
                java.util.Optional.of("orders"),
                "com.acme.shop.Handler",
                java.util.Optional.empty(),
                false,
                12,
                4,
                7,
                Duration.ofSeconds(45),
                WorkerServiceProps.DEFAULT_MESSAGE_RETENTION,
                WorkerServiceProps.DEFAULT_OLDEST_MESSAGE_ALARM_AGE,
                WorkerServiceProps.DEFAULT_DEAD_LETTER_GROWTH_THRESHOLD));
    assertThat(settings.get(1))
        .isEqualTo(
            new QueueSettings(
                java.util.Optional.of("refunds"),
                "com.acme.Refunds",
                java.util.Optional.of("legacy-refunds"),
                true,
                2,
                8,
                9,
                Duration.ofMinutes(5),
                Duration.ofDays(7),
                Duration.ofMinutes(5),
                50));
    assertThat(props.toBuilder().build().queues()).isEqualTo(props.queues());
    assertThat(props.toBuilder().queues(java.util.List.of()).build().multiQueue()).isFalse();
  }

  @Test
  void handlerClassMayBeLeftToEachQueueButOneOfThemMustNameIt() {
    var withoutServiceHandler =
        WorkerServiceProps.builder()
            .workerName("shop")
            .image(WorkerImage.fromName("acme/shop:1"))
            .jdbcUrl("jdbc:postgresql://db:5432/shop")
            .jdbcUser("shop")
            .dbPasswordSecretArn(TestWorkers.SECRET_ARN);
    assertThat(
            withoutServiceHandler
                .queue(WorkerQueue.builder("orders").handlerClass("com.acme.Orders").build())
                .build()
                .handlerClass())
        .isNull();
    assertThatThrownBy(
            () -> withoutServiceHandler.queue(WorkerQueue.builder("refunds").build()).build())
        .hasMessage(
            "invalid worker service props for 'shop': queue 'refunds': handlerClass is required"
                + " (on the queue or the service)");
  }

  @Test
  void buildListsEveryProblemOfTheQueues() {
    var builder =
        aWorker("shop")
            .queueName("shop-queue")
            .queue(WorkerQueue.builder("orders").build())
            .queue(WorkerQueue.builder("orders").build());
    assertThatThrownBy(builder::build)
        .hasMessageContaining(
            "queueName applies to the single-queue form; with queues set it on each queue")
        .hasMessageContaining("queue 'orders' is named twice");
    var tooMany = aWorker("shop");
    IntStream.rangeClosed(1, WorkerServiceProps.MAX_QUEUES + 1)
        .forEach(i -> tooMany.queue(WorkerQueue.builder("q" + i).build()));
    assertThatThrownBy(tooMany::build).hasMessageContaining("queues must be at most 8, was 9");
  }

  @ParameterizedTest
  @ValueSource(strings = {"Orders", "1orders", "orders_eu", "orders-", ""})
  void rejectsNamesTheWorkerProcessRefuses(String name) {
    assertThatThrownBy(() -> WorkerQueue.builder(name))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("queue name must")
        .hasMessageContaining("'" + name + "'");
  }

  @ParameterizedTest
  @ValueSource(strings = {"jdbc", "max", "idempotency", "slo", "downstream"})
  void rejectsNamesWhoseVariablesWouldReadAsAnotherOption(String name) {
    assertThatThrownBy(() -> WorkerQueue.builder(name))
        .hasMessageContaining("would make SQSWORKER_" + name.toUpperCase() + "_*");
  }

  @Test
  void rejectsOutOfRangeValuesNamingTheQueueAndTheOption() {
    var refunds = WorkerQueue.builder("refunds");
    assertThatThrownBy(() -> refunds.concurrency(0))
        .hasMessage("queue 'refunds': concurrency must be between 1 and 1000, was 0");
    assertThatThrownBy(() -> refunds.visibilityTimeout(Duration.ofMillis(1500)))
        .hasMessage("queue 'refunds': visibilityTimeout must be whole seconds, was PT1.5S");
    assertThatThrownBy(() -> refunds.oldestMessageAlarmAge(Duration.ofSeconds(90)))
        .hasMessage("queue 'refunds': oldestMessageAlarmAge must be whole minutes, was PT1M30S");
    assertThatThrownBy(() -> refunds.handlerClass("not a class"))
        .hasMessageContaining("queue 'refunds': handlerClass must be a fully qualified");
    assertThatThrownBy(() -> refunds.queueName("bad.name"))
        .hasMessageContaining("queue 'refunds': queueName must be 1 to 71");
  }
}
