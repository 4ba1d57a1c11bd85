package dev.sqsworker.dlq.cli;

import static dev.sqsworker.dlq.Letters.aDeadLetter;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sqsworker.dlq.Letters;
import dev.sqsworker.testkit.LocalSqs;
import dev.sqsworker.testkit.QueuePair;
import dev.sqsworker.testkit.WithLocalServices;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The AWS CLI's conventions: --output, --query, --out -, no overwriting, one-line errors. */
@WithLocalServices
class DlqOutputIT {

  private static final ObjectMapper JSON = new ObjectMapper();

  private static QueuePair withLetters(LocalSqs sqs, String name, int count) {
    QueuePair pair = sqs.createQueueWithDlq(name + "-" + UUID.randomUUID(), 3);
    for (int i = 0; i < count; i++) {
      aDeadLetter()
          .body("{\"i\":" + i + "}")
          .errorClass(i % 2 == 0 ? "com.example.Even" : "com.example.Odd")
          .from(pair.queueUrl())
          .sendTo(sqs.client(), pair.dlqUrl());
    }
    return pair;
  }

  @Test
  void queryPicksFromTheJsonAndTextPrintsItTabSeparated(LocalSqs sqs) {
    QueuePair pair = withLetters(sqs, "out-query", 5);
    Cli cli = new Cli(sqs);

    Cli.Run text =
        cli.run(
            "stats", pair.dlqUrl(), "--query", "groups[].[count, errorClass]", "--output", "text");
    Cli.Run json = cli.run("stats", pair.dlqUrl(), "--query", "groups[0].count");

    assertThat(text.exitCode()).as(text.err()).isZero();
    assertThat(text.out().lines()).containsExactly("3\tcom.example.Even", "2\tcom.example.Odd");
    assertThat(json.out().trim()).isEqualTo("3");
  }

  @Test
  void queryWithTableOutputPrintsTheQueriedValueAsATable(LocalSqs sqs) {
    QueuePair pair = withLetters(sqs, "out-qtable", 2);

    Cli.Run run =
        new Cli(sqs)
            .run(
                "stats",
                pair.dlqUrl(),
                "--query",
                "groups[].{class: errorClass, n: count}",
                "--output",
                "table");

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out().lines().toList())
        .first()
        .satisfies(header -> assertThat(header).contains("CLASS", "N"));
    assertThat(run.out()).contains("com.example.Even", "com.example.Odd");
  }

  @Test
  void statsShowsASampleErrorPerGroup(LocalSqs sqs) {
    QueuePair pair = withLetters(sqs, "out-sample", 2);

    Cli.Run run = new Cli(sqs).run("stats", pair.dlqUrl());

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out()).contains("SAMPLE ERROR");
    assertThat(run.out().lines().filter(l -> l.contains("com.example.Even")))
        .singleElement()
        .satisfies(line -> assertThat(line).contains("boom"));
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "--endpoint-url=not-a-url|queues|--endpoint-url",
        "--query=groups[|queues|--query",
        "--hold-timeout=1d|queues|--hold-timeout",
        "--wait-time=30s|queues|--wait-time",
        "--output=yaml|queues|--output",
        "--rate=0|replay|--rate",
        "--rate=-5|replay|--rate",
        "--limit=0|replay|--limit",
        "--limit=0|peek|--limit",
        "--rate=501|redrive start|--rate"
      })
  void aBadOptionIsOneLineNamingItWithTheUsageExitCode(
      String option, String command, String named, LocalSqs sqs) {
    QueuePair pair = withLetters(sqs, "out-bad", 1);
    List<String> args = new java.util.ArrayList<>(List.of(command.split(" ")));
    args.add(pair.dlqUrl());
    args.add(option);
    if (command.equals("queues")) {
      args.remove(pair.dlqUrl());
    }

    Cli.Run run = new Cli(sqs).runRaw(args.toArray(String[]::new));

    assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
    List<String> lines = run.err().lines().toList();
    assertThat(lines.get(0)).startsWith("dlq: ").contains(named);
    assertThat(lines).hasSizeLessThanOrEqualTo(2); // the error, and where the help is
    assertThat(run.err()).doesNotContain("Exception", "\tat ");
    assertThat(Letters.visible(sqs.client(), pair.dlqUrl())).isEqualTo(1);
  }

  @Test
  void exportLeavesAnExistingFileAloneUnlessForced(LocalSqs sqs, @TempDir Path dir)
      throws Exception {
    QueuePair pair = withLetters(sqs, "out-exists", 2);
    Path file = Files.writeString(dir.resolve("keep.jsonl"), "precious\n");
    Cli cli = new Cli(sqs);

    Cli.Run refused = cli.run("export", pair.dlqUrl(), "--out", file.toString());

    assertThat(refused.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(refused.err()).contains("--out", "already exists", "--force");
    assertThat(Files.readString(file)).isEqualTo("precious\n");

    Cli.Run forced = cli.run("export", pair.dlqUrl(), "--out", file.toString(), "--force");

    assertThat(forced.exitCode()).as(forced.err()).isZero();
    assertThat(Files.readAllLines(file)).hasSize(2);
  }

  @Test
  void exportToStandardOutputWritesOnlyTheLinesThereAndTheSummaryToStandardError(
      LocalSqs sqs, @TempDir Path dir) throws Exception {
    QueuePair pair = withLetters(sqs, "out-stdout", 3);
    Path output = dir.resolve("out.txt");

    Process export = DlqProcess.java(sqs, output, "export", pair.dlqUrl(), "--out", "-");

    assertThat(export.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(export.exitValue()).as(DlqProcess.read(output)).isZero();
    assertThat(Files.exists(dir.resolve("-"))).isFalse();
    List<String> lines = DlqProcess.stdout(output).lines().toList();
    assertThat(lines).hasSize(3);
    for (String line : lines) {
      JsonNode message = JSON.readTree(line);
      assertThat(message.get("body").asText()).startsWith("{\"i\":");
      assertThat(message.get("attributes").get("sqsworker-failure").get("dataType").asText())
          .isEqualTo("String");
    }
    assertThat(DlqProcess.read(output)).contains("Exported 3 messages");
    assertThat(Letters.visible(sqs.client(), pair.dlqUrl())).isEqualTo(3);
  }

  @Test
  void exportToStandardOutputCannotDelete(LocalSqs sqs) {
    QueuePair pair = withLetters(sqs, "out-nodelete", 1);

    Cli.Run run = new Cli(sqs).run("export", pair.dlqUrl(), "--out", "-", "--delete");

    assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(run.err()).contains("--delete needs --out FILE");
    assertThat(Letters.visible(sqs.client(), pair.dlqUrl())).isEqualTo(1);
  }
}
