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
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * A replay moves the messages that were in the dead-letter queue when it started, once each, and
 * ends by itself, even while a consumer that is not yet fixed dead-letters every replayed message
 * again; an interrupted replay prints what it moved and leaves nothing hidden.
 */
@WithLocalServices
class ReplayEndsIT {

  private static final ObjectMapper JSON = new ObjectMapper();

  // Before a replay ended by itself, this ran until --limit or forever.
  @Timeout(value = 120, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  @Test
  void aReplayIntoAConsumerThatDeadLettersEverythingAgainEndsAfterMovingEachMessageOnce(
      LocalSqs sqs) throws Exception {
    QueuePair pair = sqs.createQueueWithDlq("again-" + UUID.randomUUID(), 3);
    for (int i = 0; i < 30; i++) {
      aDeadLetter().body("again-" + i).from(pair.queueUrl()).sendTo(sqs.client(), pair.dlqUrl());
    }
    AtomicBoolean consuming = new AtomicBoolean(true);
    AtomicInteger deadLetteredAgain = new AtomicInteger();
    ExecutorService executor =
        Executors.newSingleThreadExecutor(r -> new Thread(r, "test-failing-consumer"));
    Future<?> consumer =
        executor.submit(
            () -> deadLetterEverything(sqs.client(), pair, consuming, deadLetteredAgain));
    try {
      // A long poll of 1 s: the re-dead-lettered copies arrive while the replay still receives.
      Cli.Run run =
          new Cli(sqs)
              .runRaw(
                  "--endpoint-url=" + sqs.endpoint().uri(),
                  "--region=" + sqs.endpoint().region(),
                  "--wait-time=1s",
                  "replay",
                  pair.dlqUrl(),
                  "--json");

      assertThat(run.exitCode()).as(run.err()).isZero();
      JsonNode result = JSON.readTree(run.out());
      assertThat(result.get("replayed").asLong()).isEqualTo(30);
      assertThat(result.get("failed").asLong()).isZero();
      await().atMost(Duration.ofSeconds(30)).until(() -> deadLetteredAgain.get() == 30);
    } finally {
      consuming.set(false);
      consumer.get(30, TimeUnit.SECONDS);
      executor.shutdownNow();
    }
    // Each of the 30 went through the consumer once and is back in the DLQ once.
    assertThat(Letters.drain(sqs.client(), pair.dlqUrl()))
        .extracting(Message::body)
        .containsExactlyInAnyOrderElementsOf(
            IntStream.range(0, 30).mapToObj(i -> "again-" + i).toList());
  }

  @Timeout(value = 120, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  @Test
  void theTextSummarySaysHowManyWereMoved(LocalSqs sqs) throws Exception {
    QueuePair pair = sqs.createQueueWithDlq("summary-" + UUID.randomUUID(), 3);
    for (int i = 0; i < 12; i++) {
      aDeadLetter().body("s-" + i).from(pair.queueUrl()).sendTo(sqs.client(), pair.dlqUrl());
    }
    AtomicBoolean consuming = new AtomicBoolean(true);
    AtomicInteger again = new AtomicInteger();
    ExecutorService executor =
        Executors.newSingleThreadExecutor(r -> new Thread(r, "test-failing-consumer"));
    Future<?> consumer =
        executor.submit(() -> deadLetterEverything(sqs.client(), pair, consuming, again));
    try {
      Cli.Run run =
          new Cli(sqs)
              .runRaw(
                  "--endpoint-url=" + sqs.endpoint().uri(),
                  "--region=" + sqs.endpoint().region(),
                  "--wait-time=1s",
                  "replay",
                  pair.dlqUrl());

      assertThat(run.exitCode()).as(run.err()).isZero();
      assertThat(run.out()).contains("replayed 12, skipped 0, failed 0");
    } finally {
      consuming.set(false);
      consumer.get(30, TimeUnit.SECONDS);
      executor.shutdownNow();
    }
  }

  @Test
  void anInterruptedReplayPrintsWhatItMovedAndLeavesNothingInvisible(
      LocalSqs sqs, @TempDir Path dir) throws Exception {
    QueuePair pair = sqs.createQueueWithDlq("sigint-" + UUID.randomUUID(), 3);
    Set<String> bodies =
        IntStream.range(0, 60).mapToObj(i -> "sigint-" + i).collect(Collectors.toSet());
    for (String body : bodies) {
      aDeadLetter().body(body).from(pair.queueUrl()).sendTo(sqs.client(), pair.dlqUrl());
    }
    Path output = dir.resolve("out.txt");
    // A hold timeout of an hour: whatever the replay does not release stays hidden.
    Process replay =
        DlqProcess.java(sqs, output, "--hold-timeout=1h", "replay", pair.dlqUrl(), "--rate", "10");
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(50))
        .until(() -> Letters.visible(sqs.client(), pair.queueUrl()) >= 3);

    new ProcessBuilder("kill", "-INT", Long.toString(replay.pid())).start().waitFor();

    assertThat(replay.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(replay.exitValue()).as(DlqProcess.read(output)).isEqualTo(130);
    assertThat(DlqProcess.stdout(output)).containsPattern("replayed \\d+, skipped 0, failed 0");
    assertThat(DlqProcess.stdout(output)).contains("Interrupted");
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> notVisible(sqs.client(), pair.dlqUrl()) == 0);
    Set<String> everywhere = new HashSet<>(bodiesOf(Letters.drain(sqs.client(), pair.queueUrl())));
    List<String> inDlq = bodiesOf(Letters.drain(sqs.client(), pair.dlqUrl()));
    assertThat(inDlq).isNotEmpty();
    everywhere.addAll(inDlq);
    assertThat(everywhere).isEqualTo(bodies);
  }

  /** A consumer whose fix is not deployed: every message goes back to the DLQ as a new one. */
  private static void deadLetterEverything(
      SqsClient client, QueuePair pair, AtomicBoolean consuming, AtomicInteger count) {
    while (consuming.get()) {
      List<Message> messages =
          client
              .receiveMessage(
                  b -> b.queueUrl(pair.queueUrl()).maxNumberOfMessages(10).waitTimeSeconds(1))
              .messages();
      for (Message message : messages) {
        aDeadLetter().body(message.body()).from(pair.queueUrl()).sendTo(client, pair.dlqUrl());
        client.deleteMessage(
            b -> b.queueUrl(pair.queueUrl()).receiptHandle(message.receiptHandle()));
        count.incrementAndGet();
      }
    }
  }

  private static long notVisible(SqsClient client, String queueUrl) {
    return Long.parseLong(
        client
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
