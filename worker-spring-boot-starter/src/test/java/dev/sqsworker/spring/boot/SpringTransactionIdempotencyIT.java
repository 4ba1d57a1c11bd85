package dev.sqsworker.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sqsworker.core.MessageHandler;
import dev.sqsworker.testkit.LocalPostgres;
import dev.sqsworker.testkit.LocalSqs;
import dev.sqsworker.testkit.QueuePair;
import dev.sqsworker.testkit.WithLocalServices;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration;
import org.springframework.boot.autoconfigure.jdbc.DataSourceTransactionManagerAutoConfiguration;
import org.springframework.boot.autoconfigure.jdbc.JdbcTemplateAutoConfiguration;
import org.springframework.boot.autoconfigure.transaction.TransactionAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.annotation.Transactional;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * Transactional idempotency through the application's PlatformTransactionManager: the handler's
 * {@code @Transactional}/JdbcTemplate writes and the key's completion commit together, or not at
 * all. Real ElasticMQ and PostgreSQL; rows are counted with plain SQL.
 */
@WithLocalServices
class SpringTransactionIdempotencyIT {

  private static LocalSqs sqs;
  private static LocalPostgres postgres;
  private static String database;
  private static JdbcTemplate sql;

  @BeforeAll
  static void services(LocalSqs localSqs, LocalPostgres localPostgres) {
    sqs = localSqs;
    postgres = localPostgres;
    database = postgres.createDatabase("spring_tx");
    sql = new JdbcTemplate(postgres.dataSource(database));
    sql.execute("CREATE TABLE orders (id text PRIMARY KEY, attempt integer NOT NULL)");
  }

  private ApplicationContextRunner runner(QueuePair queue) {
    return new ApplicationContextRunner()
        .withConfiguration(
            AutoConfigurations.of(
                DataSourceAutoConfiguration.class,
                DataSourceTransactionManagerAutoConfiguration.class,
                JdbcTemplateAutoConfiguration.class,
                TransactionAutoConfiguration.class,
                SqsWorkerAutoConfiguration.class))
        .withUserConfiguration(Orders.class)
        .withBean("applicationSqsClient", SqsAsyncClient.class, () -> sqs.newAsyncClient())
        .withPropertyValues(
            "spring.datasource.url=" + postgres.jdbcUrl(database),
            "spring.datasource.username=" + LocalPostgres.USER,
            "spring.datasource.password=" + LocalPostgres.PASSWORD,
            "sqsworker.workers.orders.queue-url=" + queue.queueUrl(),
            "sqsworker.workers.orders.dlq-url=" + queue.dlqUrl(),
            "sqsworker.workers.orders.handler=orderHandler",
            "sqsworker.workers.orders.wait-time=1s",
            "sqsworker.workers.orders.backoff-base=1ms",
            "sqsworker.workers.orders.backoff-cap=1ms",
            "sqsworker.workers.orders.max-attempts=3",
            "sqsworker.workers.orders.shutdown-grace=2s",
            "sqsworker.workers.orders.idempotency.mode=transactional");
  }

  @Test
  void theHandlersWritesCommitWithTheCompletion() {
    QueuePair queue = sqs.createQueueWithDlq("spring-tx-commit", 10);
    runner(queue)
        .run(
            context -> {
              send(queue, "{\"id\":\"c-1\",\"failFirst\":false}", null);
              awaitEmpty(queue.queueUrl());
              assertThat(attempts("c-1")).containsExactly(1);
              assertThat(completed(queue)).isEqualTo(1);
              assertThat(context.getBean(Orders.class).calls("c-1")).isEqualTo(1);
            });
  }

  @Test
  void aHandlerThatThrowsAfterItsInsert_leavesNeitherRowNorCompletion_andIsRetried() {
    QueuePair queue = sqs.createQueueWithDlq("spring-tx-rollback", 10);
    runner(queue)
        .run(
            context -> {
              send(queue, "{\"id\":\"r-1\",\"failFirst\":true}", null);
              awaitEmpty(queue.queueUrl());
              Orders orders = context.getBean(Orders.class);
              // Attempt 1 inserted its row and then threw: the row was rolled back with the
              // completion (else attempt 2 would have hit the primary key, or been skipped as a
              // duplicate); attempt 2's row committed with the completion.
              assertThat(orders.calls("r-1")).isEqualTo(2);
              assertThat(attempts("r-1")).containsExactly(2);
              assertThat(completed(queue)).isEqualTo(1);
              assertThat(sqs.client().receiveMessage(r -> r.queueUrl(queue.dlqUrl())).messages())
                  .isEmpty();
            });
  }

  @Test
  void aRedeliveredKey_isNotHandledAgain() {
    QueuePair queue = sqs.createQueueWithDlq("spring-tx-duplicate", 10);
    runner(queue)
        .run(
            context -> {
              send(queue, "{\"id\":\"d-1\",\"failFirst\":false}", "key-d-1");
              send(queue, "{\"id\":\"d-1\",\"failFirst\":false}", "key-d-1");
              awaitEmpty(queue.queueUrl());
              assertThat(context.getBean(Orders.class).calls("d-1")).isEqualTo(1);
              assertThat(attempts("d-1")).containsExactly(1);
            });
  }

  @Test
  void aTransactionManagerOfAnotherDataSource_failsTheStart() {
    QueuePair queue = sqs.createQueueWithDlq("spring-tx-other", 10);
    String other = postgres.createDatabase("spring_tx_other");
    runner(queue)
        .withBean(
            "otherTransactionManager",
            PlatformTransactionManager.class,
            () -> new DataSourceTransactionManager(postgres.dataSource(other)))
        .run(
            context -> {
              assertThat(context).hasFailed();
              assertThat(context.getStartupFailure())
                  .rootCause()
                  .hasMessageContaining("does not bind a connection of the DataSource");
              Throwable failure = context.getStartupFailure();
              while (failure.getCause() != null
                  && !failure.getMessage().startsWith("sqsworker.workers.orders")) {
                failure = failure.getCause();
              }
              assertThat(failure.getMessage())
                  .startsWith(
                      "sqsworker.workers.orders.idempotency.mode=transactional: the"
                          + " PlatformTransactionManager");
            });
  }

  private static void send(QueuePair queue, String body, String key) {
    sqs.client()
        .sendMessage(
            r -> {
              r.queueUrl(queue.queueUrl()).messageBody(body);
              if (key != null) {
                r.messageAttributes(
                    Map.of(
                        "Idempotency-Key",
                        MessageAttributeValue.builder()
                            .dataType("String")
                            .stringValue(key)
                            .build()));
              }
            });
  }

  static void awaitEmpty(String queueUrl) {
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () -> {
              Map<String, String> a =
                  sqs.client()
                      .getQueueAttributes(
                          r ->
                              r.queueUrl(queueUrl)
                                  .attributeNames(
                                      QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
                                      QueueAttributeName
                                          .APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE))
                      .attributesAsStrings();
              return a.values().stream().allMatch("0"::equals);
            });
  }

  private static List<Integer> attempts(String id) {
    return sql.queryForList("SELECT attempt FROM orders WHERE id = ?", Integer.class, id);
  }

  private static int completed(QueuePair queue) {
    String scope = queue.queueUrl().substring(queue.queueUrl().lastIndexOf('/') + 1);
    return sql.queryForObject(
        "SELECT count(*) FROM sqsworker_idempotency WHERE scope = ? AND status = 'COMPLETED'",
        Integer.class,
        scope);
  }

  /** A payload. */
  public record Order(String id, boolean failFirst) {}

  /** The application's service, with a Spring-managed transaction of its own (REQUIRED). */
  public static class OrderBook {
    private final JdbcTemplate jdbc;

    public OrderBook(JdbcTemplate jdbc) {
      this.jdbc = jdbc;
    }

    @Transactional
    public void record(Order order, int attempt) {
      jdbc.update("INSERT INTO orders (id, attempt) VALUES (?, ?)", order.id(), attempt);
    }
  }

  @Configuration(proxyBeanMethods = false)
  static class Orders {
    private final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();

    int calls(String id) {
      return calls.getOrDefault(id, new AtomicInteger()).get();
    }

    @Bean
    OrderBook orderBook(JdbcTemplate jdbc) {
      return new OrderBook(jdbc);
    }

    @Bean
    MessageHandler<Order> orderHandler(OrderBook book) {
      return (order, context) -> {
        calls.computeIfAbsent(order.id(), k -> new AtomicInteger()).incrementAndGet();
        book.record(order, context.attempt());
        if (order.failFirst() && context.attempt() == 1) {
          throw new IllegalStateException("fails after its insert");
        }
      };
    }
  }
}
