package dev.sqsworker.dlq.cli;

import static dev.sqsworker.dlq.Letters.aDeadLetter;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import dev.sqsworker.testkit.LocalSqs;
import dev.sqsworker.testkit.QueuePair;
import dev.sqsworker.testkit.WithLocalServices;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every command's {@code --output json} matches the one schema documented in docs/dlq.md. */
@WithLocalServices
class JsonSchemaIT {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String BEGIN = "<!-- dlq-json-schema:begin -->";
  private static final String END = "<!-- dlq-json-schema:end -->";

  private static JsonNode documented;

  @BeforeAll
  static void readTheSchemaFromTheDocs() throws IOException {
    documented = JSON.readTree(documentedSchema());
  }

  /** The JSON block between the markers of docs/dlq.md. */
  static String documentedSchema() throws IOException {
    Path moduleDir = Path.of(System.getProperty("dlq.moduleDir", "."));
    String doc = Files.readString(moduleDir.resolve("../docs/dlq.md").normalize());
    String block = doc.substring(doc.indexOf(BEGIN) + BEGIN.length(), doc.indexOf(END));
    return block.substring(block.indexOf('{'), block.lastIndexOf('}') + 1);
  }

  /** Like {@link #assertMatches}, reading the schema first (for other test classes). */
  static void assertMatchesDocumented(JsonNode value, String definition) throws IOException {
    if (documented == null) {
      readTheSchemaFromTheDocs();
    }
    assertMatches(value, definition);
  }

  /** Asserts that a value matches one definition of the documented schema. */
  static void assertMatches(JsonNode value, String definition) {
    ObjectNode schema = documented.deepCopy();
    assertThat(schema.get("$defs").has(definition)).as("definition " + definition).isTrue();
    schema.put("$ref", "#/$defs/" + definition);
    JsonSchema validator =
        JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(schema);
    Set<ValidationMessage> problems = validator.validate(value);
    assertThat(problems).as(definition + ": " + value.toPrettyString()).isEmpty();
  }

  private static JsonNode json(Cli.Run run) throws IOException {
    assertThat(run.exitCode()).as(run.err()).isIn(ExitCodes.OK, ExitCodes.SOME_FAILED);
    assertThat(run.out()).isNotBlank();
    return JSON.readTree(run.out());
  }

  private static QueuePair withLetters(LocalSqs sqs, String name, int count) {
    QueuePair pair = sqs.createQueueWithDlq(name + "-" + UUID.randomUUID(), 3);
    for (int i = 0; i < count; i++) {
      aDeadLetter()
          .body("{\"i\":" + i + "}")
          .attribute("tenant", "acme")
          .binaryAttribute("raw", new byte[] {0, 1, (byte) 255})
          .from(pair.queueUrl())
          .sendTo(sqs.client(), pair.dlqUrl());
    }
    aDeadLetter().body("no reason").withoutReason().sendTo(sqs.client(), pair.dlqUrl());
    return pair;
  }

  @Test
  void theSchemaRejectsWhatCommandsUsedToPrint() throws Exception {
    ObjectNode schema = documented.deepCopy();
    schema.put("$ref", "#/$defs/message");
    JsonSchema message =
        JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(schema);
    // peek used to flatten attributes to their values, redrive to give epoch milliseconds.
    JsonNode oldPeek =
        JSON.readTree(
            "{\"messageId\":\"m\",\"body\":\"b\",\"attributes\":{\"tenant\":\"acme\"},"
                + "\"sentAt\":\"2026-01-01T00:00:00Z\",\"receiveCount\":1}");
    assertThat(message.validate(oldPeek)).isNotEmpty();
    schema.put("$ref", "#/$defs/redriveTask");
    JsonNode oldTask =
        JSON.readTree(
            "{\"taskHandle\":\"h\",\"status\":\"RUNNING\",\"sourceArn\":\"a\","
                + "\"destinationArn\":null,\"maxMessagesPerSecond\":null,\"moved\":0,"
                + "\"toMove\":null,\"failureReason\":null,\"startedAtMillis\":1}");
    assertThat(
            JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012)
                .getSchema(schema)
                .validate(oldTask))
        .isNotEmpty();
  }

  @Test
  void readCommandsPrintTheDocumentedSchema(LocalSqs sqs) throws Exception {
    QueuePair pair = withLetters(sqs, "schema-read", 3);
    String prefix = pair.queueUrl().substring(pair.queueUrl().lastIndexOf('/') + 1);
    Cli cli = new Cli(sqs);

    assertMatches(json(cli.run("--output", "json", "queues", "--prefix", prefix)), "queues");
    JsonNode peeked = json(cli.run("peek", pair.dlqUrl(), "--output", "json"));
    assertMatches(peeked, "messages");
    assertThat(peeked).hasSize(4);
    // The alias gives the same.
    assertMatches(json(cli.run("peek", pair.dlqUrl(), "--json")), "messages");
    assertMatches(json(cli.run("stats", pair.dlqUrl(), "--output", "json")), "stats");
  }

  @Test
  void movingCommandsPrintTheDocumentedSchemaAndTheExportFileHoldsMessages(
      LocalSqs sqs, @TempDir Path dir) throws Exception {
    QueuePair pair = withLetters(sqs, "schema-move", 3);
    Path file = dir.resolve("archive.jsonl");
    Cli cli = new Cli(sqs);

    assertMatches(
        json(cli.run("replay", pair.dlqUrl(), "--dry-run", "--output", "json")), "replay");
    assertMatches(
        json(cli.run("export", pair.dlqUrl(), "--out", file.toString(), "--output", "json")),
        "export");
    List<String> lines = Files.readAllLines(file);
    assertThat(lines).hasSize(4);
    for (String line : lines) {
      assertMatches(JSON.readTree(line), "message");
    }
    assertMatches(json(cli.run("purge", pair.dlqUrl(), "--yes", "--output", "json")), "purge");
    assertMatches(
        json(cli.run("import", file.toString(), "--to", pair.dlqUrl(), "--output", "json")),
        "import");
    assertMatches(json(cli.run("replay", pair.dlqUrl(), "--output", "json")), "replay");
  }

  @Test
  void redriveCommandsPrintTheDocumentedSchema(LocalSqs sqs) throws Exception {
    QueuePair pair = withLetters(sqs, "schema-redrive", 3);
    Cli cli = new Cli(sqs);

    JsonNode started =
        json(
            cli.run(
                "redrive", "start", pair.dlqUrl(), "--to", pair.queueUrl(), "--output", "json"));
    assertMatches(started, "redriveTask");
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () -> {
              JsonNode tasks =
                  json(cli.run("redrive", "status", pair.dlqUrl(), "--output", "json"));
              assertMatches(tasks, "redriveTasks");
              assertThat(tasks.get(0).get("status").asText()).isEqualTo("COMPLETED");
            });

    // A slow task, so that it is still running when cancelled.
    QueuePair slow = withLetters(sqs, "schema-cancel", 20);
    JsonNode running =
        json(cli.run("redrive", "start", slow.dlqUrl(), "--rate", "1", "--output", "json"));
    assertMatches(
        json(cli.run("redrive", "cancel", running.get("taskHandle").asText(), "--output", "json")),
        "redriveCancel");
  }
}
