package dev.sqsworker.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sqsworker.core.MessageHandler;
import dev.sqsworker.core.resilience.Downstreams;
import dev.sqsworker.core.resilience.RateLimitSchema;
import dev.sqsworker.testkit.LocalPostgres;
import dev.sqsworker.testkit.LocalSqs;
import dev.sqsworker.testkit.QueuePair;
import dev.sqsworker.testkit.WithLocalServices;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * A downstream's global rate limit from {@code sqsworker.downstreams.*}: its bucket in the
 * application's DataSource (the table migrated at start), and a call denied a permit parks its
 * message instead of failing it. Real ElasticMQ and PostgreSQL.
 */
@WithLocalServices
class GlobalRateLimitFromPropertiesIT {

  @Test
  void aCallDeniedAGlobalPermit_parksItsMessage_noAttemptFailedNothingDeadLettered(
      LocalSqs sqs, LocalPostgres postgres) {
    QueuePair queue = sqs.createQueueWithDlq("spring-global-rate", 5);
    String database = postgres.createDatabase("spring_global_rate");
    new ApplicationContextRunner()
        .withConfiguration(
            AutoConfigurations.of(
                DataSourceAutoConfiguration.class, SqsWorkerAutoConfiguration.class))
        .withUserConfiguration(Partner.class)
        .withBean("applicationSqsClient", SqsAsyncClient.class, sqs::newAsyncClient)
        .withPropertyValues(
            "spring.datasource.url=" + postgres.jdbcUrl(database),
            "spring.datasource.username=" + LocalPostgres.USER,
            "spring.datasource.password=" + LocalPostgres.PASSWORD,
            "sqsworker.workers.notes.queue-url=" + queue.queueUrl(),
            "sqsworker.workers.notes.dlq-url=" + queue.dlqUrl(),
            "sqsworker.workers.notes.handler=noteHandler",
            "sqsworker.workers.notes.wait-time=1s",
            "sqsworker.workers.notes.max-attempts=1",
            "sqsworker.workers.notes.shutdown-grace=2s",
            // Two calls an hour for the whole service: three messages cannot all get one.
            "sqsworker.downstreams.partner.global-rate-limit=2",
            "sqsworker.downstreams.partner.global-rate-period=1h",
            "sqsworker.downstreams.partner.max-wait=100ms",
            "sqsworker.downstreams.partner.retry-attempts=1")
        .run(
            context -> {
              assertThat(context).hasNotFailed();
              JdbcTemplate sql = new JdbcTemplate(postgres.dataSource(database));
              // Migrated at start, before any call, into its own history table.
              assertThat(
                      sql.queryForObject(
                          "SELECT count(*) FROM "
                              + RateLimitSchema.HISTORY_TABLE
                              + " WHERE success",
                          Integer.class))
                  .isPositive();
              for (int i = 1; i <= 3; i++) {
                sqs.client().sendMessage(b -> b.queueUrl(queue.queueUrl()).messageBody("note"));
              }
              MeterRegistry meters = context.getBean(MeterRegistry.class);
              // Every message settled one way or another (a failure is counted here too, so that
              // the assertions below say which way, with the dead letter's reason).
              await()
                  .atMost(Duration.ofSeconds(30))
                  .untilAsserted(
                      () ->
                          assertThat(
                                  counter(meters, "sqsworker.messages.succeeded")
                                      + counter(meters, "sqsworker.messages.parked")
                                      + counter(meters, "sqsworker.messages.failed"))
                              .isEqualTo(3));
              // Parked, not failed: max-attempts=1 would have dead-lettered a counted failure.
              assertThat(sqs.client().receiveMessage(r -> r.queueUrl(queue.dlqUrl())).messages())
                  .isEmpty();
              assertThat(counter(meters, "sqsworker.messages.failed")).isZero();
              assertThat(counter(meters, "sqsworker.messages.retried")).isZero();
              double parked = counter(meters, "sqsworker.messages.parked");
              Partner partner = context.getBean(Partner.class);
              // At most the limit got through; the rest found no permit within max-wait.
              assertThat(partner.calls.get()).isBetween(1, 2);
              assertThat(counter(meters, "sqsworker.messages.succeeded"))
                  .isEqualTo(partner.calls.get());
              assertThat(parked).isEqualTo(3 - partner.calls.get());
              // Still on the queue, invisible until the bucket refills (the handled ones deleted
              // once their batch of deletions is sent).
              await()
                  .untilAsserted(() -> assertThat(notVisible(sqs, queue)).isEqualTo((int) parked));
              // The bucket lives in the application's database.
              assertThat(
                      sql.queryForObject(
                          "SELECT count(*) FROM " + RateLimitSchema.TABLE, Integer.class))
                  .isEqualTo(1);
            });
  }

  private static double counter(MeterRegistry meters, String name) {
    return meters.find(name).counters().stream().mapToDouble(c -> c.count()).sum();
  }

  private static int notVisible(LocalSqs sqs, QueuePair queue) {
    Map<QueueAttributeName, String> attributes =
        sqs.client()
            .getQueueAttributes(
                r ->
                    r.queueUrl(queue.queueUrl())
                        .attributeNames(
                            QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE))
            .attributes();
    return Integer.parseInt(
        attributes.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE));
  }

  /** A handler that calls the partner through its downstream once per message. */
  @Configuration(proxyBeanMethods = false)
  static class Partner {
    final AtomicInteger calls = new AtomicInteger();

    @Bean
    MeterRegistry meterRegistry() {
      return new SimpleMeterRegistry();
    }

    @Bean
    MessageHandler<String> noteHandler(Downstreams downstreams) {
      return (payload, context) -> downstreams.get("partner").run(calls::incrementAndGet);
    }
  }
}
