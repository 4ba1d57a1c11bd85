package dev.sqsworker.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.sqsworker.core.MessageHandler;
import dev.sqsworker.core.resilience.Downstreams;
import dev.sqsworker.spring.boot.actuate.SqsWorkerHealthAutoConfiguration;
import dev.sqsworker.testkit.LocalSqs;
import dev.sqsworker.testkit.QueuePair;
import dev.sqsworker.testkit.WithLocalServices;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import java.io.IOException;
import org.junit.jupiter.api.Test;
import org.springframework.boot.actuate.health.CompositeHealthContributor;
import org.springframework.boot.actuate.health.HealthContributor;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;

/** A worker's depends-on names downstreams of the properties: their open breaker pauses it. */
@WithLocalServices
class DownstreamsFromPropertiesIT {

  @Test
  void anOpenBreakerOfADownstreamItDependsOn_pausesTheWorker(LocalSqs sqs) {
    QueuePair queue = sqs.createQueueWithDlq("spring-downstreams", 5);
    new ApplicationContextRunner()
        .withConfiguration(
            AutoConfigurations.of(
                SqsWorkerAutoConfiguration.class, SqsWorkerHealthAutoConfiguration.class))
        .withBean("applicationSqsClient", SqsAsyncClient.class, sqs::newAsyncClient)
        .withBean("noteHandler", MessageHandler.class, () -> (payload, context) -> {})
        .withPropertyValues(
            "sqsworker.workers.notes.queue-url=" + queue.queueUrl(),
            "sqsworker.workers.notes.dlq-url=" + queue.dlqUrl(),
            "sqsworker.workers.notes.payload-type=java.lang.String",
            "sqsworker.workers.notes.wait-time=1s",
            "sqsworker.workers.notes.depends-on=payments",
            "sqsworker.downstreams.payments.breaker-window=1",
            "sqsworker.downstreams.payments.breaker-min-calls=1",
            "sqsworker.downstreams.payments.retry-attempts=1",
            "sqsworker.downstreams.payments.breaker-open-for=60s")
        .run(
            context -> {
              assertThat(context).hasNotFailed();
              var payments = context.getBean(Downstreams.class).get("payments");
              var notes = context.getBean(SqsWorkers.class).get("notes");
              var health =
                  (HealthIndicator)
                      ((CompositeHealthContributor)
                              context.getBean(
                                  "sqsWorkersHealthContributor", HealthContributor.class))
                          .getContributor("notes");
              assertThat(notes.health().pausedBy()).isEmpty();

              assertThatThrownBy(
                      () ->
                          payments.run(
                              () -> {
                                throw new IOException("payments is down");
                              }))
                  .isInstanceOf(IOException.class);
              assertThat(payments.breakerState()).isEqualTo(CircuitBreaker.State.OPEN);
              await()
                  .untilAsserted(
                      () -> {
                        assertThat(notes.health().pausedBy())
                            .hasValueSatisfying(p -> assertThat(p).contains("payments"));
                        assertThat(health.health().getDetails()).containsKey("pausedBy");
                      });
            });
  }
}
