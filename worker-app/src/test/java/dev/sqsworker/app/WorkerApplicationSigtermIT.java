package dev.sqsworker.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sqsworker.testkit.LocalSqs;
import dev.sqsworker.testkit.QueuePair;
import dev.sqsworker.testkit.WithLocalServices;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * The real thing: {@code WorkerApplication.main} in a separate JVM with the image's logging
 * configuration, stopped with SIGTERM while a message is in flight.
 */
@WithLocalServices
class WorkerApplicationSigtermIT {

  static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void sigtermDrainsTheMessageInFlight_andLogsJsonWithTheMessageContext(LocalSqs sqs)
      throws Exception {
    QueuePair queues = sqs.createQueueWithDlq("sigterm-orders", 5);
    String messageId =
        sqs.client()
            .sendMessage(b -> b.queueUrl(queues.queueUrl()).messageBody("3000"))
            .messageId();

    Process process = start(sqs, queues);
    List<String> stdout = new CopyOnWriteArrayList<>();
    List<String> stderr = new CopyOnWriteArrayList<>();
    Thread out = follow(process.getInputStream(), stdout, "stdout");
    Thread err = follow(process.getErrorStream(), stderr, "stderr");
    try {
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> stdout.stream().anyMatch(l -> l.contains("started work of 3000 ms")));

      // Through the handle: Process.destroy() would also close our ends of its output pipes.
      process.toHandle().destroy(); // SIGTERM, as ECS sends it

      assertThat(process.waitFor(30, TimeUnit.SECONDS))
          .as("exits within the grace; stderr: %s", stderr)
          .isTrue();
    } finally {
      process.destroyForcibly();
    }
    // Every line the process wrote, up to the end of its output.
    out.join(Duration.ofSeconds(10).toMillis());
    err.join(Duration.ofSeconds(10).toMillis());
    // 128 + SIGTERM: the JVM ran its shutdown hooks and exited on the signal.
    assertThat(process.exitValue()).isEqualTo(143);
    assertThat(stdout).anySatisfy(l -> assertThat(l).contains("finished work of 3000 ms"));
    assertThat(stdout).anySatisfy(l -> assertThat(l).contains("Worker application stopped"));
    assertThat(messages(sqs, queues.queueUrl())).as("deleted after it was handled").isZero();
    assertThat(messages(sqs, queues.dlqUrl())).isZero();

    List<JsonNode> events = new ArrayList<>();
    for (String line : stdout) {
      events.add(JSON.readTree(line)); // every line is one JSON object
    }
    JsonNode started =
        events.stream()
            .filter(e -> e.path("formattedMessage").asText().equals("started work of 3000 ms"))
            .findFirst()
            .orElseThrow();
    assertThat(started.get("level").asText()).isEqualTo("INFO");
    assertThat(started.get("loggerName").asText()).isEqualTo(SlowTextHandler.class.getName());
    // ISO-8601 in UTC, e.g. 2026-12-01T22:18:52.123Z.
    assertThat(java.time.OffsetDateTime.parse(started.get("timestamp").asText()).getOffset())
        .isEqualTo(java.time.ZoneOffset.UTC);
    JsonNode mdc = started.get("mdc");
    assertThat(mdc.get("sqsworker.messageId").asText()).isEqualTo(messageId);
    assertThat(mdc.get("sqsworker.queue").asText()).isEqualTo("sigterm-orders");
    assertThat(mdc.get("sqsworker.attempt").asText()).isEqualTo("1");
  }

  private static Process start(LocalSqs sqs, QueuePair queues) throws IOException {
    String classpath =
        System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    ProcessBuilder builder =
        new ProcessBuilder(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-Xmx256m",
            "-Dlogback.configurationFile=logback-ecs.xml",
            "-cp",
            classpath,
            WorkerApplication.class.getName());
    Map<String, String> env = builder.environment();
    env.keySet().removeIf(k -> k.startsWith("SQSWORKER_") || k.startsWith("AWS_"));
    env.remove("ECS_AGENT_URI");
    env.put("SQSWORKER_QUEUE_URL", queues.queueUrl());
    env.put("SQSWORKER_DLQ_URL", queues.dlqUrl());
    env.put("SQSWORKER_HANDLER_CLASS", SlowTextHandler.class.getName());
    env.put("SQSWORKER_WAIT_TIME", "1s");
    env.put("SQSWORKER_SHUTDOWN_GRACE", "20s");
    env.put("SQSWORKER_HTTP_PORT", "0");
    env.put("AWS_REGION", sqs.endpoint().region());
    env.put("AWS_ENDPOINT_URL_SQS", sqs.endpoint().uri().toString());
    env.put("AWS_ACCESS_KEY_ID", sqs.endpoint().accessKeyId());
    env.put("AWS_SECRET_ACCESS_KEY", sqs.endpoint().secretAccessKey());
    return builder.start();
  }

  private static Thread follow(InputStream stream, List<String> lines, String name) {
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader in =
                  new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                  lines.add(line);
                }
              } catch (IOException e) {
                throw new UncheckedIOException(e);
              }
            },
            "sigterm-it-" + name);
    reader.setDaemon(true);
    reader.start();
    return reader;
  }

  private static int messages(LocalSqs sqs, String queueUrl) {
    Map<QueueAttributeName, String> attributes =
        sqs.client()
            .getQueueAttributes(
                b ->
                    b.queueUrl(queueUrl)
                        .attributeNames(
                            QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
                            QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE))
            .attributes();
    return Integer.parseInt(attributes.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES))
        + Integer.parseInt(
            attributes.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE));
  }
}
