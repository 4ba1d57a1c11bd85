package dev.sqsworker.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sqsworker.core.MessageContext;
import dev.sqsworker.core.MessageHandler;
import dev.sqsworker.core.Worker;
import dev.sqsworker.testkit.LocalPostgres;
import dev.sqsworker.testkit.LocalSqs;
import dev.sqsworker.testkit.QueuePair;
import dev.sqsworker.testkit.WithLocalServices;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.actuate.health.CompositeHealth;
import org.springframework.boot.actuate.health.HealthComponent;
import org.springframework.boot.actuate.health.HealthEndpoint;
import org.springframework.boot.actuate.health.Status;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.transaction.annotation.Transactional;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * A whole Spring Boot application on the starter, against embedded ElasticMQ and PostgreSQL: two
 * workers from properties, one transactional, with the starter's own SQS client, metrics in the
 * application's registry, health in the readiness group, and a drain on close that still commits.
 *
 * <p>The context is closed after the class, while the shared servers still run (cached, it would
 * poll them until the JVM ends).
 */
@WithLocalServices
@DirtiesContext
@SpringBootTest(
    classes = SqsWorkerApplicationIT.App.class,
    webEnvironment = SpringBootTest.WebEnvironment.NONE)
class SqsWorkerApplicationIT {

  private static LocalSqs sqs;
  private static LocalPostgres postgres;
  private static String database;
  private static QueuePair orders;
  private static QueuePair audit;
  private static QueuePair notes;

  @Autowired SqsWorkers workers;
  @Autowired MeterRegistry meters;
  @Autowired HealthEndpoint health;
  @Autowired App app;
  @Autowired JdbcTemplate jdbc;

  @BeforeAll
  static void services(LocalSqs localSqs, LocalPostgres localPostgres) {
    sqs = localSqs;
    postgres = localPostgres;
    database = postgres.createDatabase("spring_app");
    new JdbcTemplate(postgres.dataSource(database))
        .execute(
            "CREATE TABLE shipments (order_id text PRIMARY KEY);"
                + " CREATE TABLE notes (message_id text PRIMARY KEY, body text NOT NULL)");
    sqs.createQueue("spring-app-orders-dlq");
    orders = sqs.createQueueWithDlq("spring-app-orders", 10);
    audit = sqs.createQueueWithDlq("spring-app-audit", 10);
    notes = sqs.createQueueWithDlq("spring-app-notes", 10);
  }

  @DynamicPropertySource
  static void properties(DynamicPropertyRegistry registry) {
    registry.add("spring.datasource.url", () -> postgres.jdbcUrl(database));
    registry.add("spring.datasource.username", () -> LocalPostgres.USER);
    registry.add("spring.datasource.password", () -> LocalPostgres.PASSWORD);
    registry.add("sqsworker.sqs.endpoint", () -> sqs.endpoint().uri().toString());
    registry.add("sqsworker.sqs.region", () -> sqs.endpoint().region());
    registry.add("test.aws.access-key-id", () -> sqs.endpoint().accessKeyId());
    registry.add("test.aws.secret-access-key", () -> sqs.endpoint().secretAccessKey());
    registry.add("sqsworker.workers.orders.queue-name", () -> "spring-app-orders");
    registry.add("sqsworker.workers.orders.handler", () -> "shipOrder");
    registry.add("sqsworker.workers.orders.wait-time", () -> "1s");
    registry.add("sqsworker.workers.orders.idempotency.mode", () -> "transactional");
    registry.add("sqsworker.workers.audit.queue-url", () -> audit.queueUrl());
    registry.add("sqsworker.workers.audit.dlq-url", () -> audit.dlqUrl());
    registry.add("sqsworker.workers.audit.handler", () -> "auditLine");
    registry.add("sqsworker.workers.audit.wait-time", () -> "1s");
    registry.add("sqsworker.workers.audit.concurrency", () -> "2");
    registry.add("sqsworker.workers.audit.idempotency.mode", () -> "non-transactional");
    registry.add("sqsworker.workers.notes.queue-url", () -> notes.queueUrl());
    registry.add("sqsworker.workers.notes.dlq-url", () -> notes.dlqUrl());
    registry.add("sqsworker.workers.notes.wait-time", () -> "1s");
    registry.add("sqsworker.workers.notes.idempotency.mode", () -> "transactional");
    registry.add("management.endpoint.health.show-details", () -> "always");
  }

  @Test
  void everyMessageIsHandledOnce_acrossBothWorkers() {
    for (int i = 0; i < 20; i++) {
      send(orders.queueUrl(), "{\"orderId\":\"o-" + i + "\"}", "order-" + i);
      // Every order sent twice: a producer's retry.
      send(orders.queueUrl(), "{\"orderId\":\"o-" + i + "\"}", "order-" + i);
      send(audit.queueUrl(), "line " + i, null);
    }
    awaitEmpty(orders.queueUrl());
    awaitEmpty(audit.queueUrl());
    assertThat(jdbc.queryForObject("SELECT count(*) FROM shipments", Integer.class)).isEqualTo(20);
    assertThat(app.shipped.values()).hasSize(20).allMatch(n -> n.get() == 1);
    await().untilAsserted(() -> assertThat(app.audited).hasSize(20));
    // The non-transactional worker completes its keys (the message ids) after each handler.
    assertThat(
            jdbc.queryForObject(
                "SELECT count(*) FROM sqsworker_idempotency"
                    + " WHERE scope = 'spring-app-audit' AND status = 'COMPLETED'",
                Integer.class))
        .isGreaterThanOrEqualTo(20);
    assertThat(workers.get("orders").config().queueUrl()).isEqualTo(orders.queueUrl());
    assertThat(workers.get("orders").config().dlqUrl()).isEmpty();
  }

  @Test
  void anSqsWorkerHandlerMethod_handlesItsWorker_inTheWorkersTransaction() {
    send(notes.queueUrl(), "{\"text\":\"hello\"}", null);
    send(notes.queueUrl(), "{\"text\":\"fail once\"}", null);
    awaitEmpty(notes.queueUrl());
    // "fail once" threw after its insert on attempt 1: rolled back, then committed on attempt 2.
    assertThat(jdbc.queryForList("SELECT body FROM notes ORDER BY body", String.class))
        .containsExactly("fail once (attempt 2)", "hello (attempt 1)");
  }

  @Test
  void metricsGoToTheApplicationsRegistry() {
    send(audit.queueUrl(), "counted", null);
    await()
        .untilAsserted(
            () ->
                assertThat(
                        meters
                            .get("sqsworker.messages.succeeded")
                            .tag("queue", "spring-app-audit")
                            .counter()
                            .count())
                    .isPositive());
  }

  @Test
  void eachWorkerIsInTheHealthAndReadiness() {
    await()
        .untilAsserted(
            () -> {
              HealthComponent readiness = health.healthForPath("readiness");
              assertThat(readiness.getStatus()).isEqualTo(Status.UP);
              var components = ((CompositeHealth) readiness).getComponents();
              assertThat(components).containsKey("sqsWorkers");
              var perWorker = ((CompositeHealth) components.get("sqsWorkers")).getComponents();
              assertThat(perWorker).containsOnlyKeys("orders", "audit", "notes");
              assertThat(perWorker.values()).allMatch(h -> h.getStatus().equals(Status.UP));
            });
  }

  /** Closing the context drains the workers while the DataSource still commits their work. */
  @Test
  void closingTheContext_drainsTheWorkersBeforeTheDataSourceCloses() throws Exception {
    QueuePair slow = sqs.createQueueWithDlq("spring-app-slow", 10);
    ConfigurableApplicationContext context =
        new SpringApplicationBuilder(App.class)
            .properties(
                "spring.datasource.url=" + postgres.jdbcUrl(database),
                "spring.datasource.username=" + LocalPostgres.USER,
                "spring.datasource.password=" + LocalPostgres.PASSWORD,
                "sqsworker.sqs.endpoint=" + sqs.endpoint().uri(),
                "sqsworker.sqs.region=" + sqs.endpoint().region(),
                "test.aws.access-key-id=" + sqs.endpoint().accessKeyId(),
                "test.aws.secret-access-key=" + sqs.endpoint().secretAccessKey(),
                "sqsworker.workers.slow.queue-url=" + slow.queueUrl(),
                "sqsworker.workers.slow.dlq-url=" + slow.dlqUrl(),
                "sqsworker.workers.slow.handler=shipOrder",
                "sqsworker.workers.slow.wait-time=1s",
                "sqsworker.workers.slow.shutdown-grace=20s",
                "sqsworker.workers.slow.idempotency.mode=transactional",
                // A handler method's worker can be switched off, not left out.
                "sqsworker.workers.notes.enabled=false")
            .run();
    App slowApp = context.getBean(App.class);
    slowApp.hold = new CountDownLatch(1);
    send(slow.queueUrl(), "{\"orderId\":\"slow-1\"}", "slow-1");
    assertThat(slowApp.started.await(30, TimeUnit.SECONDS)).isTrue();
    Worker worker = context.getBean(SqsWorkers.class).get("slow");

    CompletableFuture<Void> closing = CompletableFuture.runAsync(context::close);
    await().until(() -> worker.state() == Worker.State.STOPPING);
    slowApp.hold.countDown();
    closing.get(60, TimeUnit.SECONDS);

    assertThat(worker.state()).isEqualTo(Worker.State.STOPPED);
    assertThat(
            jdbc.queryForList(
                "SELECT order_id FROM shipments WHERE order_id = 'slow-1'", String.class))
        .containsExactly("slow-1");
    awaitEmpty(slow.queueUrl());
  }

  private static void send(String queueUrl, String body, String key) {
    sqs.client()
        .sendMessage(
            r -> {
              r.queueUrl(queueUrl).messageBody(body);
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

  private static void awaitEmpty(String queueUrl) {
    await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () ->
                sqs
                    .client()
                    .getQueueAttributes(
                        r ->
                            r.queueUrl(queueUrl)
                                .attributeNames(
                                    QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
                                    QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE))
                    .attributesAsStrings()
                    .values()
                    .stream()
                    .allMatch("0"::equals));
  }

  /** A payload. */
  public record OrderPlaced(String orderId) {}

  /** Another payload. */
  public record Note(String text) {}

  /** A bean with a handler method, advised by {@code @Transactional}. */
  public static class Notes {
    private final JdbcTemplate jdbc;

    public Notes(JdbcTemplate jdbc) {
      this.jdbc = jdbc;
    }

    @SqsWorkerHandler("notes")
    @Transactional
    public void note(Note note, MessageContext context) {
      jdbc.update(
          "INSERT INTO notes (message_id, body) VALUES (?, ?)",
          context.messageId(),
          note.text() + " (attempt " + context.attempt() + ")");
      if (note.text().equals("fail once") && context.attempt() == 1) {
        throw new IllegalStateException("fails after its insert");
      }
    }
  }

  /** The application: two handlers, one writing through JdbcTemplate. */
  @SpringBootConfiguration
  @EnableAutoConfiguration
  public static class App {
    final Map<String, AtomicInteger> shipped = new ConcurrentHashMap<>();
    final List<String> audited = new java.util.concurrent.CopyOnWriteArrayList<>();
    final CountDownLatch started = new CountDownLatch(1);
    volatile CountDownLatch hold = new CountDownLatch(0);

    @Bean
    AwsCredentialsProvider localCredentials(Environment env) {
      return StaticCredentialsProvider.create(
          AwsBasicCredentials.create(
              env.getRequiredProperty("test.aws.access-key-id"),
              env.getRequiredProperty("test.aws.secret-access-key")));
    }

    @Bean
    MessageHandler<OrderPlaced> shipOrder(JdbcTemplate jdbc) {
      return (order, context) -> {
        jdbc.update("INSERT INTO shipments (order_id) VALUES (?)", order.orderId());
        started.countDown();
        if (!hold.await(30, TimeUnit.SECONDS)) {
          throw new IllegalStateException("not released");
        }
        shipped.computeIfAbsent(order.orderId(), k -> new AtomicInteger()).incrementAndGet();
      };
    }

    @Bean
    Notes notes(JdbcTemplate jdbc) {
      return new Notes(jdbc);
    }

    @Bean
    MessageHandler<String> auditLine() {
      return (line, context) -> audited.add(line);
    }
  }
}
