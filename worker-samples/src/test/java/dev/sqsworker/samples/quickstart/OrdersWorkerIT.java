package dev.sqsworker.samples.quickstart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sqsworker.testkit.LocalSqs;
import dev.sqsworker.testkit.QueuePair;
import dev.sqsworker.testkit.WithLocalServices;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's first worker as its own program: {@code java} with the module's runtime classpath
 * (not the tests'), configured only by environment variables, as a user runs it. It must keep
 * running, handle what arrives, dead-letter what it must, and stop on SIGTERM.
 */
@WithLocalServices
class OrdersWorkerIT {

  @Test
  void keepsRunningHandlesMessagesAndStopsOnSigterm(LocalSqs sqs, @TempDir Path work)
      throws Exception {
    QueuePair queues = sqs.createQueueWithDlq("quickstart-orders", 10);
    Path classes = Path.of("target", "classes").toAbsolutePath();
    String classpath = classes + ":" + Files.readString(Path.of("target", "runtime.classpath"));
    ProcessBuilder builder =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m",
                "-Dlogback.configurationFile=logback-ecs.xml",
                "-cp",
                classpath.strip(),
                OrdersWorker.class.getName())
            .redirectOutput(work.resolve("stdout").toFile())
            .redirectError(work.resolve("stderr").toFile());
    builder.environment().keySet().removeIf(k -> !k.equals("PATH") && !k.equals("HOME"));
    builder
        .environment()
        .putAll(
            Map.of(
                "SQSWORKER_QUEUE_URL", queues.queueUrl(),
                "SQSWORKER_WAIT_TIME", "1s",
                "AWS_REGION", sqs.endpoint().region(),
                "AWS_ENDPOINT_URL_SQS", sqs.endpoint().uri().toString(),
                "AWS_ACCESS_KEY_ID", sqs.endpoint().accessKeyId(),
                "AWS_SECRET_ACCESS_KEY", sqs.endpoint().secretAccessKey()));
    Process process = builder.start();
    try {
      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> !process.isAlive() || stdout(work).contains("started on"));
      assertThat(process.isAlive()).as("running after start: " + stderr(work)).isTrue();

      for (String body :
          List.of(
              "{\"orderId\":\"q-1\",\"customer\":\"ada\",\"quantity\":1}",
              "{\"orderId\":\"q-2\",\"customer\":\"bob\",\"quantity\":2}",
              "{\"orderId\":\"q-0\",\"customer\":\"eve\",\"quantity\":0}")) {
        sqs.client().sendMessage(b -> b.queueUrl(queues.queueUrl()).messageBody(body));
      }
      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> stdout(work).contains("stored q-1") && stdout(work).contains("stored q-2"));
      await().atMost(Duration.ofSeconds(30)).until(() -> sqs.messageCount(queues.dlqUrl()) == 1);
      assertThat(stdout(work)).doesNotContain("stored q-0");
      assertThat(process.isAlive()).as("still running after handling").isTrue();

      process.toHandle().destroy(); // SIGTERM
      assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("stopped on SIGTERM").isTrue();
      assertThat(process.exitValue()).isEqualTo(143);
      assertThat(stdout(work)).contains("stopped");
      await().atMost(Duration.ofSeconds(30)).until(() -> sqs.messageCount(queues.queueUrl()) == 0);
    } finally {
      process.destroyForcibly();
    }
  }

  private static String stdout(Path work) throws java.io.IOException {
    return Files.readString(work.resolve("stdout"));
  }

  private static String stderr(Path work) throws java.io.IOException {
    return Files.readString(work.resolve("stderr"));
  }
}
