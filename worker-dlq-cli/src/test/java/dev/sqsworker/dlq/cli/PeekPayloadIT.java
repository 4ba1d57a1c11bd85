package dev.sqsworker.dlq.cli;

import static dev.sqsworker.dlq.Letters.aDeadLetter;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sqsworker.dlq.DeadLetterPayloads;
import dev.sqsworker.dlq.Letters;
import dev.sqsworker.testkit.LocalS3;
import dev.sqsworker.testkit.LocalSqs;
import dev.sqsworker.testkit.QueuePair;
import dev.sqsworker.testkit.S3Server;
import dev.sqsworker.testkit.WithLocalServices;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.payloadoffloading.PayloadS3Pointer;

/** {@code dlq peek} of large-payload pointers on ElasticMQ and S3Mock, in this JVM. */
@WithLocalServices
class PeekPayloadIT {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int MIB = 1024 * 1024;

  private LocalSqs sqs;
  private S3Server s3;
  private Cli cli;
  private String bucket;
  private QueuePair pair;

  @BeforeEach
  void setUp(LocalSqs sqs, LocalS3 localS3) {
    this.sqs = sqs;
    this.s3 = localS3.full();
    this.cli = new Cli(sqs);
    String id = UUID.randomUUID().toString().substring(0, 8);
    bucket = s3.createBucket("cli-payloads-" + id);
    pair = sqs.createQueueWithDlq("cli-large-" + id, 3);
  }

  private String sendPointer(String payload) {
    return aDeadLetter()
        .body(payload)
        .errorClass("com.example.TimeoutException")
        .from(pair.queueUrl())
        .sendThroughS3(sqs.client(), s3.client(), bucket, pair.dlqUrl());
  }

  private Cli.Run peek(String... more) {
    String[] args = new String[more.length + 3];
    args[0] = "--s3-endpoint-url=" + s3.endpoint().uri();
    args[1] = "peek";
    args[2] = pair.dlqUrl();
    System.arraycopy(more, 0, args, 3, more.length);
    return cli.run(args);
  }

  static String body(int bytes) {
    StringBuilder text = new StringBuilder(bytes);
    for (int i = 0; text.length() < bytes; i++) {
      text.append("row ").append(i).append('\n');
    }
    return text.substring(0, bytes);
  }

  private Map<String, JsonNode> byId(Cli.Run run) throws Exception {
    Map<String, JsonNode> messages = new HashMap<>();
    JSON.readTree(run.out()).forEach(m -> messages.put(m.get("messageId").asText(), m));
    return messages;
  }

  @Test
  void withoutTheFlagPeekShowsThePointer_withItThePayloadBoundedTo1MiB() throws Exception {
    String small = "{\"order\":\"o-1\",\"lines\":[1,2,3]}";
    String large = body(2 * MIB);
    String smallId = sendPointer(small);
    String largeId = sendPointer(large);
    aDeadLetter()
        .body("{\"plain\":true}")
        .from(pair.queueUrl())
        .sendTo(sqs.client(), pair.dlqUrl());

    Cli.Run plain = peek("--output", "json");
    assertThat(plain.exitCode()).as(plain.err()).isZero();
    Map<String, JsonNode> pointers = byId(plain);
    assertThat(pointers).hasSize(3);
    assertThat(pointers.get(smallId).has("payload")).isFalse();
    PayloadS3Pointer pointer =
        PayloadS3Pointer.fromJson(pointers.get(smallId).get("body").asText());
    assertThat(pointer.getS3BucketName()).isEqualTo(bucket);

    Cli.Run table = peek();
    assertThat(table.exitCode()).as(table.err()).isZero();
    assertThat(table.out())
        .contains("a large-payload pointer to s3://" + bucket + "/" + pointer.getS3Key())
        .doesNotContain("\"order\"");

    Cli.Run fetched = peek("--fetch-payload", "--output", "json");
    assertThat(fetched.exitCode()).as(fetched.err()).isZero();
    JsonSchemaIT.assertMatchesDocumented(JSON.readTree(fetched.out()), "messages");
    Map<String, JsonNode> withPayloads = byId(fetched);
    JsonNode smallPayload = withPayloads.get(smallId).get("payload");
    assertThat(smallPayload.get("bucket").asText()).isEqualTo(bucket);
    assertThat(smallPayload.get("key").asText()).isEqualTo(pointer.getS3Key());
    assertThat(smallPayload.get("body").asText()).isEqualTo(small);
    assertThat(smallPayload.get("truncated").asBoolean()).isFalse();
    JsonNode largePayload = withPayloads.get(largeId).get("payload");
    assertThat(largePayload.get("size").asLong()).isEqualTo(2L * MIB);
    assertThat(largePayload.get("truncated").asBoolean()).isTrue();
    assertThat(largePayload.get("body").asText())
        .isEqualTo(large.substring(0, DeadLetterPayloads.DEFAULT_MAX_BYTES));
    // The pointer stays the body: the message is as stored.
    assertThat(withPayloads.get(smallId).get("body").asText())
        .isEqualTo(pointers.get(smallId).get("body").asText());

    Cli.Run fetchedTable = peek("--fetch-payload");
    assertThat(fetchedTable.out())
        .contains("payload: s3://" + bucket + "/" + pointer.getS3Key() + ", " + small.length())
        .contains("\"order\" : \"o-1\"")
        .contains(
            2 * MIB + " bytes (the first " + DeadLetterPayloads.DEFAULT_MAX_BYTES + " shown)");
    // peek removes nothing.
    assertThat(Letters.visible(sqs.client(), pair.dlqUrl())).isEqualTo(3);
  }

  @Test
  void aGoneObjectIsNamedWithItsMessageBucketAndKey_andExitsWith5() throws Exception {
    String id = sendPointer("{\"order\":\"o-2\"}");
    Cli.Run plain = peek("--output", "json");
    String key = PayloadS3Pointer.fromJson(byId(plain).get(id).get("body").asText()).getS3Key();
    s3.client().deleteObject(b -> b.bucket(bucket).key(key));

    Cli.Run run = peek("--fetch-payload", "--output", "json");

    assertThat(run.exitCode()).isEqualTo(ExitCodes.SOME_FAILED);
    assertThat(run.err().strip())
        .startsWith("dlq: ")
        .contains("message " + id, "bucket " + bucket, "key " + key, "gone")
        .doesNotContain("\n");
    JsonNode payload = byId(run).get(id).get("payload");
    assertThat(payload.get("error").asText()).contains("gone");
    JsonSchemaIT.assertMatchesDocumented(JSON.readTree(run.out()), "messages");
  }

  @Test
  void binDlqFetchesThePayloadWithItsOwnClasspath(@TempDir Path dir) throws Exception {
    String payload = "{\"order\":\"o-3\"}";
    String id = sendPointer(payload);
    Path output = dir.resolve("out.txt");

    Process process =
        DlqProcess.script(
            sqs,
            output,
            "--s3-endpoint-url=" + s3.endpoint().uri(),
            "--json",
            "peek",
            pair.dlqUrl(),
            "--fetch-payload");

    assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).as(DlqProcess.read(output)).isZero();
    JsonNode message = JSON.readTree(DlqProcess.stdout(output)).get(0);
    assertThat(message.get("messageId").asText()).isEqualTo(id);
    assertThat(message.get("payload").get("body").asText()).isEqualTo(payload);
  }
}
