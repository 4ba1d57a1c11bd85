package dev.sqsworker.dlq.cli;

import static dev.sqsworker.dlq.Letters.aDeadLetter;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sqsworker.dlq.Letters;
import dev.sqsworker.testkit.LocalSqs;
import dev.sqsworker.testkit.QueuePair;
import dev.sqsworker.testkit.WithLocalServices;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * The CLI as a real process: through bin/dlq, and killed with SIGKILL in the middle of a replay.
 */
@WithLocalServices
class DlqProcessIT {

  private static final int MESSAGES = 150;

  @Test
  void binDlqRunsTheCommandLine(LocalSqs sqs, @TempDir Path dir) throws Exception {
    String prefix = "bin-" + UUID.randomUUID().toString().substring(0, 8);
    QueuePair pair = sqs.createQueueWithDlq(prefix, 3);
    aDeadLetter().from(pair.queueUrl()).sendTo(sqs.client(), pair.dlqUrl());
    Path output = dir.resolve("out.txt");

    Process process = DlqProcess.script(sqs, output, "--json", "queues", "--prefix", prefix);

    assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).as(DlqProcess.read(output)).isZero();
    JsonNode queues = new ObjectMapper().readTree(DlqProcess.stdout(output));
    // Nothing else on the terminal: no log noise around the JSON.
    assertThat(DlqProcess.read(output)).isEqualTo(DlqProcess.stdout(output));
    assertThat(queues).hasSize(2);
    assertThat(queues.get(1).get("visible").asLong()).isEqualTo(1);
  }

  @Test
  void binDlqStartsFromTheClassDataSharingArchiveBuiltAtPackageTime(LocalSqs sqs, @TempDir Path dir)
      throws Exception {
    Path output = dir.resolve("out.txt");

    // -Xshare:on makes the JVM refuse to start unless it can use the archive bin/dlq passes.
    Process process =
        DlqProcess.script(sqs, output, java.util.Map.of("DLQ_JAVA_OPTS", "-Xshare:on"), "queues");

    assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).as(DlqProcess.read(output)).isZero();
    assertThat(DlqProcess.stdout(output)).startsWith("QUEUE");
    Path moduleDir = Path.of(System.getProperty("dlq.moduleDir", "."));
    assertThat(moduleDir.resolve("target/dlq.jsa")).isRegularFile();
  }

  @Test
  void aReplayKilledMidwayAndRunAgainLosesNothing(LocalSqs sqs, @TempDir Path dir)
      throws Exception {
    QueuePair pair = sqs.createQueueWithDlq("crash-" + UUID.randomUUID(), 3);
    Set<String> bodies =
        IntStream.range(0, MESSAGES).mapToObj(i -> "crash-" + i).collect(Collectors.toSet());
    for (String body : bodies) {
      aDeadLetter().body(body).from(pair.queueUrl()).sendTo(sqs.client(), pair.dlqUrl());
    }

    Process first =
        DlqProcess.java(
            sqs,
            dir.resolve("first.txt"),
            "--hold-timeout=2s",
            "replay",
            pair.dlqUrl(),
            "--rate",
            "40");
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(50))
        .until(() -> Letters.visible(sqs.client(), pair.queueUrl()) >= 20);
    first.destroyForcibly();
    assertThat(first.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(Letters.visible(sqs.client(), pair.queueUrl())).isLessThan(MESSAGES);

    // What the killed process held comes back after its hold timeout.
    await().atMost(Duration.ofSeconds(30)).until(() -> inFlight(sqs, pair.dlqUrl()) == 0);
    Process second = DlqProcess.java(sqs, dir.resolve("second.txt"), "replay", pair.dlqUrl());
    assertThat(second.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(second.exitValue()).as(DlqProcess.read(dir.resolve("second.txt"))).isZero();

    List<String> inSource = bodiesOf(Letters.drain(sqs.client(), pair.queueUrl()));
    List<String> inDlq = bodiesOf(Letters.drain(sqs.client(), pair.dlqUrl()));
    Set<String> everywhere = new HashSet<>(inSource);
    everywhere.addAll(inDlq);
    assertThat(everywhere).isEqualTo(bodies);
    assertThat(inDlq).isEmpty();
    assertThat(new HashSet<>(inSource)).isEqualTo(bodies);
  }

  @Test
  void aStoppedReplayReleasesWhatItHeldAtOnce(LocalSqs sqs, @TempDir Path dir) throws Exception {
    QueuePair pair = sqs.createQueueWithDlq("stop-" + UUID.randomUUID(), 3);
    Set<String> bodies =
        IntStream.range(0, 60).mapToObj(i -> "stop-" + i).collect(Collectors.toSet());
    for (String body : bodies) {
      aDeadLetter().body(body).from(pair.queueUrl()).sendTo(sqs.client(), pair.dlqUrl());
    }

    // A hold timeout of an hour: anything not released by the shutdown would stay hidden.
    Process replay =
        DlqProcess.java(
            sqs,
            dir.resolve("out.txt"),
            "--hold-timeout=1h",
            "replay",
            pair.dlqUrl(),
            "--rate",
            "10");
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(50))
        .until(() -> Letters.visible(sqs.client(), pair.queueUrl()) >= 3);
    replay.destroy(); // SIGTERM, handled like Ctrl-C
    assertThat(replay.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(replay.exitValue()).isEqualTo(143);
    assertThat(DlqProcess.stdout(dir.resolve("out.txt"))).contains("Interrupted");

    assertThat(inFlight(sqs, pair.dlqUrl())).isZero();
    Set<String> everywhere = new HashSet<>(bodiesOf(Letters.drain(sqs.client(), pair.queueUrl())));
    List<String> inDlq = bodiesOf(Letters.drain(sqs.client(), pair.dlqUrl()));
    assertThat(inDlq).isNotEmpty();
    everywhere.addAll(inDlq);
    assertThat(everywhere).isEqualTo(bodies);
  }

  private static long inFlight(LocalSqs sqs, String queueUrl) {
    return Long.parseLong(
        sqs.client()
            .getQueueAttributes(
                b ->
                    b.queueUrl(queueUrl)
                        .attributeNames(
                            QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE))
            .attributes()
            .get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE));
  }

  private static List<String> bodiesOf(List<Message> messages) {
    List<String> bodies = new ArrayList<>();
    messages.forEach(m -> bodies.add(m.body()));
    return bodies;
  }
}
