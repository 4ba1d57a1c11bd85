package dev.sqsworker.dlq.cli;

import static dev.sqsworker.dlq.Letters.aDeadLetter;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sqsworker.dlq.Letters;
import dev.sqsworker.testkit.LocalSqs;
import dev.sqsworker.testkit.QueuePair;
import dev.sqsworker.testkit.WithLocalServices;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.model.Message;

/** One message at a time: --message-id on peek, replay and delete; redrive --wait. */
@WithLocalServices
class MessageIdIT {

  private static final ObjectMapper JSON = new ObjectMapper();

  private record Queue(QueuePair pair, List<String> ids) {}

  /** Five dead letters, and their message ids in the DLQ. */
  private static Queue withLetters(LocalSqs sqs, String name) throws Exception {
    QueuePair pair = sqs.createQueueWithDlq(name + "-" + UUID.randomUUID(), 3);
    for (int i = 0; i < 5; i++) {
      aDeadLetter().body("m" + i).from(pair.queueUrl()).sendTo(sqs.client(), pair.dlqUrl());
    }
    JsonNode peeked = JSON.readTree(new Cli(sqs).run("peek", pair.dlqUrl(), "--json").out());
    List<String> ids = new ArrayList<>();
    // In body order, so that a test can name "the message with body m2".
    for (int i = 0; i < 5; i++) {
      for (JsonNode message : peeked) {
        if (message.get("body").asText().equals("m" + i)) {
          ids.add(message.get("messageId").asText());
        }
      }
    }
    assertThat(ids).hasSize(5);
    return new Queue(pair, ids);
  }

  @Test
  void peekShowsOnlyTheMessagesNamedByIdOrByTheMessageIdField(LocalSqs sqs) throws Exception {
    Queue queue = withLetters(sqs, "id-peek");
    Cli cli = new Cli(sqs);

    JsonNode two =
        JSON.readTree(
            cli.run(
                    "peek",
                    queue.pair().dlqUrl(),
                    "--message-id",
                    queue.ids().get(1),
                    "--message-id",
                    queue.ids().get(3),
                    "--json")
                .out());
    JsonNode one =
        JSON.readTree(
            cli.run(
                    "peek",
                    queue.pair().dlqUrl(),
                    "--filter",
                    "messageId=" + queue.ids().get(4),
                    "--json")
                .out());

    assertThat(two).extracting(m -> m.get("body").asText()).containsExactlyInAnyOrder("m1", "m3");
    assertThat(one).extracting(m -> m.get("body").asText()).containsExactly("m4");
    assertThat(Letters.visible(sqs.client(), queue.pair().dlqUrl())).isEqualTo(5);
  }

  @Test
  void replayMovesOnlyTheMessagesNamedById(LocalSqs sqs) throws Exception {
    Queue queue = withLetters(sqs, "id-replay");

    Cli.Run run =
        new Cli(sqs).run("replay", queue.pair().dlqUrl(), "--message-id", queue.ids().get(2));

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out()).contains("replayed 1,");
    assertThat(Letters.drain(sqs.client(), queue.pair().queueUrl()))
        .extracting(Message::body)
        .containsExactly("m2");
    assertThat(Letters.visible(sqs.client(), queue.pair().dlqUrl())).isEqualTo(4);
  }

  @Test
  void deleteAsksForTheQueueNameShowsTheMessagesAndDeletesOnlyThose(LocalSqs sqs) throws Exception {
    Queue queue = withLetters(sqs, "id-delete");
    String dlq = queue.pair().dlqUrl();
    String name = dlq.substring(dlq.lastIndexOf('/') + 1);
    Cli cli = new Cli(sqs);

    Cli.Run declined = cli.typing("yes\n").run("delete", dlq, "--message-id", queue.ids().get(0));

    assertThat(declined.exitCode()).isEqualTo(ExitCodes.NOT_CONFIRMED);
    assertThat(declined.err()).contains("Delete 1 messages from " + name, queue.ids().get(0));
    assertThat(Letters.visible(sqs.client(), dlq)).isEqualTo(5);

    Cli.Run confirmed =
        cli.typing(name + "\n")
            .run(
                "delete",
                dlq,
                "--message-id",
                queue.ids().get(0),
                "--message-id",
                queue.ids().get(1));

    assertThat(confirmed.exitCode()).as(confirmed.err()).isZero();
    assertThat(confirmed.out()).contains("Deleted 2 messages");
    assertThat(Letters.drain(sqs.client(), dlq))
        .extracting(Message::body)
        .containsExactlyInAnyOrder("m2", "m3", "m4");
  }

  @Test
  void deletingAnUnknownIdSaysSoWithItsOwnExitCode(LocalSqs sqs) throws Exception {
    Queue queue = withLetters(sqs, "id-unknown");

    Cli.Run run =
        new Cli(sqs)
            .run(
                "delete",
                queue.pair().dlqUrl(),
                "--message-id",
                "no-such-id",
                "--message-id",
                queue.ids().get(0),
                "--yes",
                "--output",
                "json");

    assertThat(run.exitCode()).isEqualTo(ExitCodes.SOME_FAILED);
    JsonNode result = JSON.readTree(run.out());
    JsonSchemaIT.assertMatchesDocumented(result, "delete");
    assertThat(result.get("deleted"))
        .extracting(JsonNode::asText)
        .containsExactly(queue.ids().get(0));
    assertThat(result.get("notFound")).extracting(JsonNode::asText).containsExactly("no-such-id");
    assertThat(Letters.visible(sqs.client(), queue.pair().dlqUrl())).isEqualTo(4);
  }

  @Test
  void redriveStartWaitsUntilTheMoveTaskEnds(LocalSqs sqs) throws Exception {
    Queue queue = withLetters(sqs, "id-wait");

    Cli.Run run =
        new Cli(sqs)
            .run(
                "redrive",
                "start",
                queue.pair().dlqUrl(),
                "--to",
                queue.pair().queueUrl(),
                "--wait",
                "--output",
                "json");

    assertThat(run.exitCode()).as(run.err()).isZero();
    JsonNode task = JSON.readTree(run.out());
    assertThat(task.get("status").asText()).isEqualTo("COMPLETED");
    assertThat(task.get("moved").asLong()).isEqualTo(5);
    assertThat(Letters.drain(sqs.client(), queue.pair().queueUrl())).hasSize(5);
  }
}
