package dev.sqsworker.dlq.cli;

import static dev.sqsworker.dlq.Letters.aDeadLetter;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sqsworker.dlq.FaultySqs;
import dev.sqsworker.dlq.Letters;
import dev.sqsworker.testkit.LocalSqs;
import dev.sqsworker.testkit.QueuePair;
import dev.sqsworker.testkit.WithLocalServices;
import java.io.BufferedReader;
import java.io.PrintWriter;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;

@WithLocalServices
class DlqCliIT {

  private static final ObjectMapper JSON = new ObjectMapper();

  private static String unique(String name) {
    return name + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  private static QueuePair withLetters(LocalSqs sqs, String name, int count) {
    QueuePair pair = sqs.createQueueWithDlq(unique(name), 3);
    for (int i = 0; i < count; i++) {
      aDeadLetter()
          .body("{\"i\":" + i + "}")
          .errorClass(i % 2 == 0 ? "com.example.Even" : "com.example.Odd")
          .from(pair.queueUrl())
          .sendTo(sqs.client(), pair.dlqUrl());
    }
    return pair;
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "queues",
        "peek",
        "stats",
        "replay",
        "export",
        "import",
        "purge",
        "delete",
        "redrive start",
        "redrive status",
        "redrive cancel"
      })
  void everyCommandHasHelpWithExamplesAndExitCodes(String command, LocalSqs sqs) {
    List<String> args = new java.util.ArrayList<>(List.of(command.split(" ")));
    args.add("--help");

    Cli.Run run = new Cli(sqs).runRaw(args.toArray(String[]::new));

    assertThat(run.exitCode()).isZero();
    assertThat(run.out())
        .contains("Examples:", "Exit codes:", "--output", "--query", "--json", "--endpoint-url");
  }

  @Test
  void replayWithAFilterPrintsJsonCountsAndMovesOnlyMatches(LocalSqs sqs) throws Exception {
    QueuePair pair = withLetters(sqs, "cli-replay", 6);

    // Global options may come after the subcommand too.
    Cli.Run run =
        new Cli(sqs)
            .run("replay", pair.dlqUrl(), "--filter", "errorClass=com.example.Even", "--json");

    assertThat(run.exitCode()).as(run.err()).isZero();
    JsonNode result = JSON.readTree(run.out());
    assertThat(result.get("replayed").asLong()).isEqualTo(3);
    assertThat(result.get("skipped").asLong()).isEqualTo(3);
    assertThat(result.get("failed").asLong()).isZero();
    assertThat(Letters.drain(sqs.client(), pair.queueUrl()))
        .extracting(Message::body)
        .containsExactlyInAnyOrder("{\"i\":0}", "{\"i\":2}", "{\"i\":4}");
  }

  @Test
  void anUnparsableFilterExitsWithUsageAndNamesThePosition(LocalSqs sqs) {
    QueuePair pair = withLetters(sqs, "cli-filter", 1);

    Cli.Run run = new Cli(sqs).run("replay", pair.dlqUrl(), "--filter", "errorClass=A and age>1x");

    assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(run.err()).contains("position 22", "'1x' is not a duration");
    assertThat(Letters.visible(sqs.client(), pair.dlqUrl())).isEqualTo(1);
  }

  @Test
  void unknownQueuesAndNonDeadLetterQueuesGetTheirOwnExitCodes(LocalSqs sqs) {
    String plain = sqs.createQueue(unique("cli-plain"));
    Cli cli = new Cli(sqs);

    Cli.Run missing = cli.run("peek", "no-such-queue-" + UUID.randomUUID());
    Cli.Run notDlq = cli.run("peek", plain);
    Cli.Run forced = cli.run("peek", plain, "--force");

    assertThat(missing.exitCode()).isEqualTo(ExitCodes.QUEUE_NOT_FOUND);
    assertThat(missing.err()).contains("does not exist");
    assertThat(notDlq.exitCode()).isEqualTo(ExitCodes.NOT_A_DEAD_LETTER_QUEUE);
    assertThat(notDlq.err()).contains("is not a dead-letter queue");
    assertThat(forced.exitCode()).isZero();
  }

  @Test
  void throttlingGetsItsOwnExitCodeAndLosesNothing(LocalSqs sqs) {
    QueuePair pair = withLetters(sqs, "cli-throttle", 2);
    DlqCommand command =
        new DlqCommand(
            (region, profile, endpoint) -> FaultySqs.throttlingReceives(sqs.client()),
            () -> new BufferedReader(new StringReader("")));
    CommandLine line = DlqCommand.commandLine(command);
    StringWriter err = new StringWriter();
    line.setErr(new PrintWriter(err, true));
    line.setOut(new PrintWriter(new StringWriter(), true));

    int code = line.execute("replay", pair.dlqUrl());

    assertThat(code).isEqualTo(ExitCodes.THROTTLED);
    assertThat(err.toString()).contains("throttling", "lower --rate");
    assertThat(Letters.visible(sqs.client(), pair.dlqUrl())).isEqualTo(2);
  }

  @Test
  void purgeAsksForTheQueueNameAndCount(LocalSqs sqs) {
    QueuePair pair = withLetters(sqs, "cli-purge", 4);
    String name = pair.dlqUrl().substring(pair.dlqUrl().lastIndexOf('/') + 1);
    Cli cli = new Cli(sqs);

    Cli.Run declined = cli.typing("yes\n").run("purge", name);

    assertThat(declined.exitCode()).isEqualTo(ExitCodes.NOT_CONFIRMED);
    assertThat(declined.err()).contains("Purge 4 messages from " + name);
    assertThat(Letters.visible(sqs.client(), pair.dlqUrl())).isEqualTo(4);

    Cli.Run confirmed = cli.typing(name + "\n").run("purge", name);

    assertThat(confirmed.exitCode()).isZero();
    assertThat(Letters.drain(sqs.client(), pair.dlqUrl())).isEmpty();
  }

  @Test
  void exportPurgeImportThroughTheCommandLine(LocalSqs sqs, @TempDir Path dir) throws Exception {
    QueuePair pair = withLetters(sqs, "cli-archive", 5);
    Path file = dir.resolve("archive.jsonl");
    Cli cli = new Cli(sqs);

    assertThat(cli.run("export", pair.dlqUrl(), "--out", file.toString()).exitCode()).isZero();
    assertThat(cli.run("purge", pair.dlqUrl(), "--yes").exitCode()).isZero();
    Cli.Run imported = cli.run("import", file.toString(), "--to", pair.dlqUrl(), "--json");

    assertThat(imported.exitCode()).as(imported.err()).isZero();
    assertThat(JSON.readTree(imported.out()).get("sent").asLong()).isEqualTo(5);
    List<Message> back = Letters.drain(sqs.client(), pair.dlqUrl());
    assertThat(back)
        .extracting(Message::body)
        .containsExactlyInAnyOrder("{\"i\":0}", "{\"i\":1}", "{\"i\":2}", "{\"i\":3}", "{\"i\":4}");
    assertThat(back).allMatch(m -> m.messageAttributes().containsKey("sqsworker-failure"));
  }

  @Test
  void aBrokenImportFileSendsNothingAndNamesTheLine(LocalSqs sqs, @TempDir Path dir)
      throws Exception {
    String target = sqs.createQueue(unique("cli-import"));
    Path file = dir.resolve("broken.jsonl");
    java.nio.file.Files.writeString(
        file,
        "{\"messageId\":\"a\",\"body\":\"one\"}\n"
            + "{\"messageId\":\"b\",\"body\":\"two\"}\n"
            + "{not json\n");
    Cli cli = new Cli(sqs);

    Cli.Run broken = cli.run("import", file.toString(), "--to", target);
    Cli.Run missing = cli.run("import", dir.resolve("absent.jsonl").toString(), "--to", target);

    assertThat(broken.exitCode()).isEqualTo(ExitCodes.FILE);
    assertThat(broken.err()).contains("Line 3");
    assertThat(missing.exitCode()).isEqualTo(ExitCodes.FILE);
    assertThat(Letters.visible(sqs.client(), target)).isZero();
  }

  @Test
  void redriveStartAndStatusReachCompleted(LocalSqs sqs) throws Exception {
    QueuePair pair = withLetters(sqs, "cli-redrive", 3);
    Cli cli = new Cli(sqs);

    Cli.Run start = cli.run("redrive", "start", pair.dlqUrl(), "--to", pair.queueUrl(), "--json");

    assertThat(start.exitCode()).as(start.err()).isZero();
    assertThat(JSON.readTree(start.out()).get("taskHandle").asText()).isNotBlank();
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () -> {
              Cli.Run status = cli.run("redrive", "status", pair.dlqUrl(), "--json");
              assertThat(JSON.readTree(status.out()).get(0).get("status").asText())
                  .isEqualTo("COMPLETED");
            });
    assertThat(Letters.drain(sqs.client(), pair.queueUrl())).hasSize(3);
  }

  @Test
  void peekPrintsTheReasonAndPrettyBodyAndLeavesMessagesVisible(LocalSqs sqs) {
    QueuePair pair = withLetters(sqs, "cli-peek", 2);

    Cli.Run run = new Cli(sqs).run("peek", pair.dlqUrl());

    assertThat(run.exitCode()).isZero();
    assertThat(run.out()).contains("NON_RETRYABLE com.example.Even: boom", "\"i\" : 0");
    assertThat(Letters.visible(sqs.client(), pair.dlqUrl())).isEqualTo(2);
  }

  @Test
  void statsAndQueuesPrintJson(LocalSqs sqs) throws Exception {
    QueuePair pair = withLetters(sqs, "cli-stats", 5);
    Cli cli = new Cli(sqs);

    JsonNode stats = JSON.readTree(cli.run("stats", pair.dlqUrl(), "--json").out());
    String prefix = pair.queueUrl().substring(pair.queueUrl().lastIndexOf('/') + 1);
    JsonNode queues = JSON.readTree(cli.run("queues", "--prefix", prefix, "--json").out());

    assertThat(stats.get("total").asLong()).isEqualTo(5);
    assertThat(stats.get("groups").get(0).get("errorClass").asText()).isEqualTo("com.example.Even");
    assertThat(stats.get("groups").get(0).get("count").asLong()).isEqualTo(3);
    assertThat(queues).hasSize(2);
    assertThat(queues.get(1).get("visible").asLong()).isEqualTo(5);
  }

  @Test
  void replayedFifoMessagesKeepTheirGroup(LocalSqs sqs) {
    QueuePair pair = sqs.createQueueWithDlq(unique("cli-fifo") + ".fifo", 3);
    aDeadLetter().body("a").group("g-1").from(pair.queueUrl()).sendTo(sqs.client(), pair.dlqUrl());

    Cli.Run run = new Cli(sqs).run("replay", pair.dlqUrl());

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out()).contains("replayed 1, skipped 0, failed 0");
    assertThat(Letters.drain(sqs.client(), pair.queueUrl()))
        .singleElement()
        .satisfies(
            m ->
                assertThat(m.attributes().get(MessageSystemAttributeName.MESSAGE_GROUP_ID))
                    .isEqualTo("g-1"));
  }
}
