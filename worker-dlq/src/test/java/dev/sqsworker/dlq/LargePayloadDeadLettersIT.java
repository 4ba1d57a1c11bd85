package dev.sqsworker.dlq;

import static dev.sqsworker.dlq.Letters.aDeadLetter;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sqsworker.testkit.LocalS3;
import dev.sqsworker.testkit.LocalSqs;
import dev.sqsworker.testkit.QueuePair;
import dev.sqsworker.testkit.S3Server;
import dev.sqsworker.testkit.WithLocalServices;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;

/**
 * Dead letters whose payload is in S3 (Extended Client Library pointers), on ElasticMQ and S3Mock:
 * peek, export and replay show and keep the pointer; the payload is read only on request, bounded.
 */
@WithLocalServices
class LargePayloadDeadLettersIT {

  private static final int MIB = 1024 * 1024;

  /** The size attribute the library writes by default (its legacy name). */
  private static final String SIZE_ATTRIBUTE = "SQSLargePayloadSize";

  private LocalSqs sqs;
  private S3Server s3;
  private String bucket;
  private QueuePair pair;

  @BeforeEach
  void setUp(LocalSqs sqs, LocalS3 localS3) {
    this.sqs = sqs;
    this.s3 = localS3.full();
    String id = UUID.randomUUID().toString().substring(0, 8);
    bucket = s3.createBucket("dlq-payloads-" + id);
    pair = sqs.createQueueWithDlq("large-" + id, 3);
  }

  private DeadLetterQueues dlqs() {
    return DeadLetterQueues.builder(sqs.client())
        .receiveWaitTime(Duration.ZERO)
        .holdTimeout(Duration.ofSeconds(30))
        .build();
  }

  static String body(int bytes) {
    StringBuilder text = new StringBuilder(bytes);
    for (int i = 0; text.length() < bytes; i++) {
      text.append("{\"line\":").append(i).append("}\n");
    }
    return text.substring(0, bytes);
  }

  private String sendPointer(String payload) {
    return aDeadLetter()
        .body(payload)
        .errorClass("com.example.TimeoutException")
        .from(pair.queueUrl())
        .sendThroughS3(sqs.client(), s3.client(), bucket, pair.dlqUrl());
  }

  @Test
  void peekShowsThePointer_andFetchReadsThePayloadBoundedToMaxBytes() {
    String payload = body(3 * MIB);
    String id = sendPointer(payload);

    List<DeadLetter> letters = dlqs().peek(pair.dlqUrl(), 10);

    assertThat(letters).hasSize(1);
    DeadLetter letter = letters.get(0);
    assertThat(letter.messageId()).isEqualTo(id);
    assertThat(letter.body()).contains(bucket).doesNotContain("{\"line\":0}");
    assertThat(letter.attributes()).containsKey(SIZE_ATTRIBUTE);
    PayloadPointer pointer = DeadLetterPayloads.pointer(letter).orElseThrow();
    assertThat(pointer.bucket()).isEqualTo(bucket);
    assertThat(pointer.size()).hasValue(3L * MIB);
    assertThat(s3.client().headObject(b -> b.bucket(bucket).key(pointer.key())).contentLength())
        .isEqualTo(3L * MIB);

    FetchedPayload fetched = DeadLetterPayloads.create(s3.client()).fetch(letter).orElseThrow();
    assertThat(fetched.size()).isEqualTo(3L * MIB);
    assertThat(fetched.truncated()).isTrue();
    assertThat(fetched.body())
        .hasSize(DeadLetterPayloads.DEFAULT_MAX_BYTES)
        .isEqualTo(payload.substring(0, DeadLetterPayloads.DEFAULT_MAX_BYTES));

    FetchedPayload whole =
        DeadLetterPayloads.create(s3.client(), 4 * MIB).fetch(letter).orElseThrow();
    assertThat(whole.truncated()).isFalse();
    assertThat(whole.body()).isEqualTo(payload);
    // Still in the queue, pointer and all.
    assertThat(Letters.visible(sqs.client(), pair.dlqUrl())).isEqualTo(1);
  }

  @Test
  void aPlainDeadLetterHasNoPointer_andNothingIsFetched() {
    aDeadLetter()
        .body("{\"small\":true}")
        .from(pair.queueUrl())
        .sendTo(sqs.client(), pair.dlqUrl());

    DeadLetter letter = dlqs().peek(pair.dlqUrl(), 10).get(0);

    assertThat(DeadLetterPayloads.pointer(letter)).isEmpty();
    assertThat(DeadLetterPayloads.create(s3.client()).fetch(letter)).isEmpty();
  }

  @Test
  void aGoneObjectIsAnErrorNamingTheMessageTheBucketAndTheKey() {
    String id = sendPointer(body(2000));
    DeadLetter letter = dlqs().peek(pair.dlqUrl(), 10).get(0);
    PayloadPointer pointer = DeadLetterPayloads.pointer(letter).orElseThrow();
    s3.client().deleteObject(b -> b.bucket(bucket).key(pointer.key()));

    assertThatThrownBy(() -> DeadLetterPayloads.create(s3.client()).fetch(letter))
        .isInstanceOfSatisfying(
            DlqException.class,
            e -> assertThat(e.problem()).isEqualTo(DlqException.Problem.PAYLOAD_NOT_FOUND))
        .hasMessageContainingAll(id, "bucket " + bucket, "key " + pointer.key(), "gone")
        .hasMessageNotContaining("\n");
  }

  @Test
  void exportAndReplayKeepThePointerAndItsSizeAttribute(@TempDir Path dir) throws Exception {
    String payload = body(2 * MIB);
    sendPointer(payload);
    DeadLetter letter = dlqs().peek(pair.dlqUrl(), 10).get(0);
    String pointerBody = letter.body();
    MessageAttributeValue size = letter.attributes().get(SIZE_ATTRIBUTE);

    Path file = dir.resolve("dlq.jsonl");
    ExportResult exported = dlqs().export(ExportRequest.builder(pair.dlqUrl(), file).build());
    assertThat(exported.exported()).isEqualTo(1);
    JsonNode line = new ObjectMapper().readTree(Files.readAllLines(file).get(0));
    assertThat(line.get("body").asText()).isEqualTo(pointerBody);
    assertThat(line.get("attributes").get(SIZE_ATTRIBUTE).get("stringValue").asText())
        .isEqualTo(String.valueOf(2 * MIB));

    ReplayResult replayed = dlqs().replay(ReplayRequest.builder(pair.dlqUrl()).build());
    assertThat(replayed.replayed()).isEqualTo(1);
    List<Message> back = Letters.drain(sqs.client(), pair.queueUrl());
    assertThat(back).hasSize(1);
    assertThat(back.get(0).body()).isEqualTo(pointerBody);
    assertThat(back.get(0).messageAttributes().get(SIZE_ATTRIBUTE)).isEqualTo(size);
    // The payload stays in S3 for the worker to read again.
    PayloadPointer pointer = DeadLetterPayloads.pointer(letter).orElseThrow();
    assertThat(s3.client().headObject(b -> b.bucket(bucket).key(pointer.key())).contentLength())
        .isEqualTo(2L * MIB);
  }
}
