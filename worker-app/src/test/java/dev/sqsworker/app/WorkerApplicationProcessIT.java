package dev.sqsworker.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sqsworker.testkit.LocalPostgres;
import dev.sqsworker.testkit.LocalSqs;
import dev.sqsworker.testkit.QueuePair;
import dev.sqsworker.testkit.WithLocalServices;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;

/**
 * {@link WorkerApplication#main} in its own JVM with the container's JSON logging, read from the
 * outside: what an operator sees on stdout, stderr, the health and metrics endpoints and the
 * dead-letter queue — a start failure that reads at a glance, typos named, and no secret anywhere.
 */
@WithLocalServices
class WorkerApplicationProcessIT {

  static final String JDBC_SECRET = "Jdbc-S3cret-4f1b9";
  static final String URL_SECRET = "Url-S3cret-77aa02";
  static final String AWS_SECRET = "Aws-S3cret-c0ffee9d";
  static final List<String> SECRETS = List.of(JDBC_SECRET, URL_SECRET, AWS_SECRET);
  static final ObjectMapper JSON = new ObjectMapper();
  static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  @Test
  void aFailingStartIsOnePlainLineOnStderrAndInTheLogMessage_typosAreNamed(
      LocalSqs sqs, @TempDir Path work) throws Exception {
    QueuePair queues = sqs.createQueueWithDlq("process-missing", 5);
    Map<String, String> env = WorkerApplicationIT.environment(sqs, queues);
    env.put("SQSWORKER_QUEUE_URL", queues.queueUrl() + "-nope");
    env.put("SQSWORKER_HANDLER_CLASS", AnyTextHandler.class.getName());
    env.put("SQSWORKER_BATCHSIZE", "5");
    env.put("AWS_SECRET_ACCESS_KEY", AWS_SECRET);
    env.put(
        "SQSWORKER_JDBC_URL",
        "jdbc:postgresql://localhost:1/orders?user=worker&password=" + URL_SECRET);
    env.put("SQSWORKER_JDBC_USER", "worker");
    env.put("SQSWORKER_JDBC_PASSWORD", JDBC_SECRET);

    Process process = start(env, work);
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).isEqualTo(1);

    List<String> stderr = Files.readAllLines(work.resolve("stderr"));
    assertThat(stderr)
        .filteredOn(l -> l.startsWith("Cannot start the worker: "))
        .singleElement()
        .asString()
        .contains("process-missing-nope");
    List<JsonNode> events = events(work);
    assertThat(events)
        .anySatisfy(
            e ->
                assertThat(e.path("formattedMessage").asText())
                    .startsWith("Cannot start the worker: ")
                    .contains("process-missing-nope"));
    assertThat(events)
        .anySatisfy(
            e -> {
              assertThat(e.path("level").asText()).isEqualTo("WARN");
              assertThat(e.path("formattedMessage").asText())
                  .isEqualTo(
                      "SQSWORKER_BATCHSIZE is not a known variable and is ignored; did you mean"
                          + " SQSWORKER_BATCH_SIZE?");
            });
    assertNoSecretIn("stdout", Files.readString(work.resolve("stdout")));
    assertNoSecretIn("stderr", String.join("\n", stderr));
  }

  @Test
  void noSecretLeavesTheProcess_throughHandlerFailuresHealthMetricsAndShutdown(
      LocalSqs sqs, LocalPostgres postgres, @TempDir Path work) throws Exception {
    QueuePair queues = sqs.createQueueWithDlq("process-secrets", 10);
    String database = postgres.createDatabase("secrets");
    try (Connection c = postgres.dataSource(database).getConnection();
        Statement s = c.createStatement()) {
      s.execute("CREATE ROLE secret_worker LOGIN PASSWORD '" + JDBC_SECRET + "'");
      s.execute("GRANT ALL ON SCHEMA public TO secret_worker");
    }
    Map<String, String> env = WorkerApplicationIT.environment(sqs, queues);
    env.put("SQSWORKER_HANDLER_CLASS", FailingTextHandler.class.getName());
    env.put("SQSWORKER_MAX_ATTEMPTS", "2");
    env.put("SQSWORKER_BACKOFF_BASE", "1s");
    env.put("SQSWORKER_BACKOFF_CAP", "1s");
    env.put("SQSWORKER_JDBC_URL", postgres.jdbcUrl(database));
    env.put("SQSWORKER_JDBC_USER", "secret_worker");
    env.put("SQSWORKER_JDBC_PASSWORD", JDBC_SECRET);
    env.put("AWS_SECRET_ACCESS_KEY", AWS_SECRET);

    Process process = start(env, work);
    List<String> bodies = new ArrayList<>();
    try {
      int port = awaitPort(process, work);
      for (String body : List.of("ok", "fail", "reject")) {
        sqs.client().sendMessage(b -> b.queueUrl(queues.queueUrl()).messageBody(body));
      }
      await().atMost(Duration.ofSeconds(60)).until(() -> sqs.messageCount(queues.dlqUrl()) == 2);
      for (String path : List.of("/health/live", "/health/ready", "/metrics")) {
        HttpResponse<String> response = get(port, path);
        assertThat(response.statusCode()).as(path).isEqualTo(200);
        bodies.add(response.body());
      }
      // Paths match exactly; anything else is a JSON 404.
      for (String path : List.of("/metrics/x", "/health", "/")) {
        HttpResponse<String> response = get(port, path);
        assertThat(response.statusCode()).as(path).isEqualTo(404);
        assertThat(response.headers().firstValue("Content-Type")).contains("application/json");
        assertThat(JSON.readTree(response.body()).get("path").asText()).isEqualTo(path);
      }
      process.toHandle().destroy(); // SIGTERM
      assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    } finally {
      process.destroyForcibly();
    }
    for (Message dead : drain(sqs, queues.dlqUrl())) {
      for (Map.Entry<String, MessageAttributeValue> a : dead.messageAttributes().entrySet()) {
        bodies.add(a.getKey() + "=" + a.getValue().stringValue());
      }
    }
    assertThat(bodies).anySatisfy(b -> assertThat(b).contains("rejected"));
    assertNoSecretIn("health, metrics and dead letters", String.join("\n", bodies));
    assertNoSecretIn("stdout", Files.readString(work.resolve("stdout")));
    assertNoSecretIn("stderr", Files.readString(work.resolve("stderr")));
    assertThat(Files.readString(work.resolve("stdout"))).contains("Worker application stopped");
  }

  private static void assertNoSecretIn(String where, String text) {
    for (String secret : SECRETS) {
      assertThat(text).as(where + " must not contain a secret").doesNotContain(secret);
    }
  }

  private static Process start(Map<String, String> env, Path work) throws IOException {
    String classpath =
        System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    ProcessBuilder builder =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m",
                "-Dlogback.configurationFile=logback-ecs.xml",
                "-cp",
                classpath,
                WorkerApplication.class.getName())
            .redirectOutput(work.resolve("stdout").toFile())
            .redirectError(work.resolve("stderr").toFile());
    builder.environment().keySet().removeIf(k -> !k.equals("PATH") && !k.equals("HOME"));
    builder.environment().putAll(env);
    return builder.start();
  }

  private static List<JsonNode> events(Path work) throws IOException {
    List<JsonNode> events = new ArrayList<>();
    for (String line : Files.readAllLines(work.resolve("stdout"))) {
      events.add(JSON.readTree(line));
    }
    return events;
  }

  private static int awaitPort(Process process, Path work) {
    return await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () -> {
              assertThat(process.isAlive()).as("the application is running").isTrue();
              // The process is still writing: a last, partial line is skipped.
              for (String line : Files.readAllLines(work.resolve("stdout"))) {
                if (!line.startsWith("{") || !line.endsWith("}")) {
                  continue;
                }
                String message = JSON.readTree(line).path("formattedMessage").asText();
                if (message.startsWith("Health and metrics on port ")) {
                  return Integer.parseInt(message.substring(message.lastIndexOf(' ') + 1));
                }
              }
              return null;
            },
            port -> port != null);
  }

  private static HttpResponse<String> get(int port, String path) throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
            .timeout(Duration.ofSeconds(5))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static List<Message> drain(LocalSqs sqs, String queueUrl) {
    return sqs.client()
        .receiveMessage(
            b ->
                b.queueUrl(queueUrl)
                    .maxNumberOfMessages(10)
                    .waitTimeSeconds(1)
                    .messageAttributeNames("All"))
        .messages();
  }
}
