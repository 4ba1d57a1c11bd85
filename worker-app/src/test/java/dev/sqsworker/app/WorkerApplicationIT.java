package dev.sqsworker.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.zaxxer.hikari.HikariDataSource;
import dev.sqsworker.core.ConfigurationException;
import dev.sqsworker.testkit.LocalPostgres;
import dev.sqsworker.testkit.LocalSqs;
import dev.sqsworker.testkit.QueuePair;
import dev.sqsworker.testkit.WithLocalServices;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/** The application built from environment variables only, against embedded SQS and PostgreSQL. */
@WithLocalServices
class WorkerApplicationIT {

  static final ObjectMapper JSON = new ObjectMapper();
  static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  static Map<String, String> environment(LocalSqs sqs, QueuePair queues) {
    Map<String, String> env = new HashMap<>();
    env.put("SQSWORKER_QUEUE_URL", queues.queueUrl());
    env.put("SQSWORKER_DLQ_URL", queues.dlqUrl());
    env.put("SQSWORKER_HANDLER_CLASS", RecordingOrderHandler.class.getName());
    env.put("SQSWORKER_CONCURRENCY", "4");
    env.put("SQSWORKER_WAIT_TIME", "1s");
    env.put("SQSWORKER_SHUTDOWN_GRACE", "10s");
    env.put("SQSWORKER_HTTP_PORT", "0");
    env.put("AWS_REGION", sqs.endpoint().region());
    env.put("AWS_ENDPOINT_URL_SQS", sqs.endpoint().uri().toString());
    env.put("AWS_ACCESS_KEY_ID", sqs.endpoint().accessKeyId());
    env.put("AWS_SECRET_ACCESS_KEY", sqs.endpoint().secretAccessKey());
    return env;
  }

  static void withDatabase(Map<String, String> env, LocalPostgres postgres, String prefix)
      throws SQLException {
    String database = postgres.createDatabase(prefix);
    try (Connection c = postgres.dataSource(database).getConnection();
        Statement s = c.createStatement()) {
      s.execute(RecordingOrderHandler.TABLE);
    }
    env.put("SQSWORKER_JDBC_URL", postgres.jdbcUrl(database));
    env.put("SQSWORKER_JDBC_USER", LocalPostgres.USER);
    env.put("SQSWORKER_JDBC_PASSWORD", LocalPostgres.PASSWORD);
    env.put("SQSWORKER_JDBC_POOL_SIZE", "3");
  }

  static HttpResponse<String> get(int port, String path) throws IOException, InterruptedException {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .timeout(Duration.ofSeconds(10))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  static int handledOrders(DataSource dataSource, String orderId) throws SQLException {
    try (Connection c = dataSource.getConnection();
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT count(*) FROM handled_orders WHERE order_id = '" + orderId + "'")) {
      rs.next();
      return rs.getInt(1);
    }
  }

  @Test
  void runsFromTheEnvironment_servesHealthAndMetrics_andProtectsTheTaskWhileBusy(
      LocalSqs sqs, LocalPostgres postgres) throws Exception {
    QueuePair queues = sqs.createQueueWithDlq("app-orders", 5);
    Map<String, String> env = environment(sqs, queues);
    withDatabase(env, postgres, "app");
    RecordingOrderHandler.GATE = new CountDownLatch(1);
    try (FakeEcsAgent agent = FakeEcsAgent.start()) {
      env.put("ECS_AGENT_URI", agent.agentUri().toString());
      WorkerApplication app = WorkerApplication.fromEnvironment(env);
      try {
        app.start();
        int port = app.httpPort();
        DataSource db = app.dataSource().orElseThrow();
        // Idle, though polling: the pollers' reserved permits are not messages in flight.
        await()
            .atMost(Duration.ofSeconds(10))
            .until(() -> app.workers().get(0).health().lastSuccessfulPoll().isPresent());
        await()
            .during(Duration.ofSeconds(2))
            .atMost(Duration.ofSeconds(3))
            .until(() -> agent.requests().isEmpty());

        sqs.client()
            .sendMessage(
                b ->
                    b.queueUrl(queues.queueUrl())
                        .messageBody("{\"orderId\":\"o-1\",\"hold\":true}"));
        await()
            .atMost(Duration.ofSeconds(15))
            .until(() -> agent.bodies().contains(ScaleInProtectionBodies.PROTECT));
        assertThat(
                JSON.readTree(get(port, "/health/ready").body())
                    .get("checks")
                    .get(0)
                    .get("detail")
                    .asText())
            .contains("1 handling");
        RecordingOrderHandler.GATE.countDown();
        await().atMost(Duration.ofSeconds(15)).until(() -> handledOrders(db, "o-1") == 1);

        var live = get(port, "/health/live");
        assertThat(live.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(live.body()).get("status").asText()).isEqualTo("UP");

        var ready = get(port, "/health/ready");
        assertThat(ready.statusCode()).isEqualTo(200);
        assertThat(ready.headers().firstValue("Content-Type")).contains("application/json");
        JsonNode readyBody = JSON.readTree(ready.body());
        assertThat(readyBody.get("status").asText()).isEqualTo("UP");
        assertThat(readyBody.get("checks"))
            .extracting(c -> c.get("name").asText() + "=" + c.get("status").asText())
            .containsExactly("worker:app-orders=UP", "postgresql=UP");

        await()
            .atMost(Duration.ofSeconds(10))
            .untilAsserted(
                () ->
                    assertThat(get(port, "/metrics").body())
                        .contains(
                            "sqsworker_messages_succeeded_total{queue=\"app-orders\",worker=\"app-orders\"}"
                                + " 1.0"));
        var metrics = get(port, "/metrics");
        assertThat(metrics.headers().firstValue("Content-Type"))
            .hasValueSatisfying(t -> assertThat(t).startsWith("text/plain; version=0.0.4"));
        assertThat(metrics.body())
            .contains("sqsworker_sqs_requests_total{action=\"ReceiveMessage\"")
            .contains("jvm_memory_used_bytes")
            .contains("jvm_gc_")
            .contains("jvm_threads_live_threads")
            .contains("process_uptime_seconds")
            .contains("system_cpu_count")
            .contains("hikaricp_connections");

        ((HikariDataSource) db).close();
        var notReady = get(port, "/health/ready");
        assertThat(notReady.statusCode()).isEqualTo(503);
        JsonNode notReadyBody = JSON.readTree(notReady.body());
        assertThat(notReadyBody.get("status").asText()).isEqualTo("DOWN");
        assertThat(notReadyBody.get("checks").get(1).get("status").asText()).isEqualTo("DOWN");
        assertThat(notReadyBody.get("checks").get(1).get("detail").asText()).contains("closed");
        assertThat(get(port, "/health/live").statusCode()).isEqualTo(200);

        app.close();
        assertThat(app.state()).isEqualTo(WorkerApplication.State.STOPPED);
        assertThat(agent.bodies()).last().isEqualTo(ScaleInProtectionBodies.RELEASE);
        assertThatThrownBy(() -> get(port, "/health/live")).isInstanceOf(ConnectException.class);
      } finally {
        app.close();
      }
    }
  }

  @Test
  void readinessTurnsDownWhenAContributorFails(LocalSqs sqs) throws Exception {
    QueuePair queues = sqs.createQueueWithDlq("app-contributor", 5);
    Map<String, String> env = environment(sqs, queues);
    env.put("SQSWORKER_HANDLER_CLASS", AnyTextHandler.class.getName());
    var breakerOpen = new AtomicBoolean();
    try (WorkerApplication app =
        WorkerApplication.builder()
            .environment(env)
            .healthContributor(
                "breaker:payments",
                () -> breakerOpen.get() ? HealthCheck.down("OPEN") : HealthCheck.up("CLOSED"))
            .customizer(
                (worker, context) -> {
                  assertThat(context.dataSource()).isEmpty();
                  context.addHealthContributor(
                      "slow",
                      () -> {
                        throw new IllegalStateException("boom");
                      });
                })
            .build()) {
      app.start();
      var ready = JSON.readTree(get(app.httpPort(), "/health/ready").body());
      assertThat(ready.get("checks"))
          .extracting(c -> c.get("name").asText() + "=" + c.get("status").asText())
          .containsExactly("worker:app-contributor=UP", "breaker:payments=UP", "slow=DOWN");
      assertThat(ready.get("checks").get(2).get("detail").asText()).contains("boom");
      assertThat(get(app.httpPort(), "/health/ready").statusCode()).isEqualTo(503);
      breakerOpen.set(true);
      var open = JSON.readTree(get(app.httpPort(), "/health/ready").body()).get("checks").get(1);
      assertThat(open.get("status").asText()).isEqualTo("DOWN");
      assertThat(open.get("detail").asText()).isEqualTo("OPEN");
    }
  }

  @Test
  void aSecondCloseWaitsForTheDrainInProgress(LocalSqs sqs) throws Exception {
    QueuePair queues = sqs.createQueueWithDlq("app-close", 5);
    Map<String, String> env = environment(sqs, queues);
    env.put("SQSWORKER_HANDLER_CLASS", GatedTextHandler.class.getName());
    GatedTextHandler.STARTED = new CountDownLatch(1);
    GatedTextHandler.GATE = new CountDownLatch(1);
    WorkerApplication app = WorkerApplication.fromEnvironment(env);
    try {
      app.start();
      sqs.client().sendMessage(b -> b.queueUrl(queues.queueUrl()).messageBody("hold"));
      assertThat(GatedTextHandler.STARTED.await(15, TimeUnit.SECONDS)).isTrue();

      var first = CompletableFuture.runAsync(app::close);
      await()
          .atMost(Duration.ofSeconds(5))
          .until(() -> app.state() == WorkerApplication.State.STOPPING);
      var second = CompletableFuture.runAsync(app::close);
      await()
          .during(Duration.ofMillis(500))
          .atMost(Duration.ofSeconds(1))
          .until(() -> !second.isDone());

      GatedTextHandler.GATE.countDown();
      second.get(15, TimeUnit.SECONDS);
      assertThat(app.state()).isEqualTo(WorkerApplication.State.STOPPED);
      first.get(15, TimeUnit.SECONDS);
    } finally {
      GatedTextHandler.GATE.countDown();
      app.close();
    }
  }

  @Test
  void aMissingQueueFailsTheStartAndFreesThePort(LocalSqs sqs) {
    QueuePair queues = sqs.createQueueWithDlq("app-missing", 5);
    Map<String, String> env = environment(sqs, queues);
    env.put("SQSWORKER_HANDLER_CLASS", AnyTextHandler.class.getName());
    env.put("SQSWORKER_QUEUE_URL", queues.queueUrl() + "-nope");
    WorkerApplication app = WorkerApplication.fromEnvironment(env);
    int port = app.httpPort();
    assertThatThrownBy(app::start).isInstanceOf(ConfigurationException.class);
    app.close();
    assertThatThrownBy(() -> get(port, "/health/live")).isInstanceOf(ConnectException.class);
  }
}
