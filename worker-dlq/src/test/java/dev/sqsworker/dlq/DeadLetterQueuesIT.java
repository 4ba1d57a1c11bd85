package dev.sqsworker.dlq;

import static dev.sqsworker.dlq.Letters.aDeadLetter;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sqsworker.core.FailureReason;
import dev.sqsworker.testkit.LocalSqs;
import dev.sqsworker.testkit.QueuePair;
import dev.sqsworker.testkit.WithLocalServices;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;

@WithLocalServices
class DeadLetterQueuesIT {

  private static DeadLetterQueues dlqs(LocalSqs sqs) {
    return DeadLetterQueues.builder(sqs.client())
        .receiveWaitTime(Duration.ZERO)
        .holdTimeout(Duration.ofSeconds(30))
        .build();
  }

  private static String unique(String name) {
    return name + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  @Test
  void replayWithAFilterMovesExactlyTheMatchingMessagesWithTheirAttributes(LocalSqs sqs) {
    SqsClient client = sqs.client();
    QueuePair pair = sqs.createQueueWithDlq(unique("orders"), 3);
    for (int i = 0; i < 3; i++) {
      aDeadLetter()
          .body("{\"n\":" + i + ",\"type\":\"refund\"}")
          .errorClass("com.example.TimeoutException")
          .attribute("tenant", "acme")
          .binaryAttribute("blob", new byte[] {0, 1, (byte) 255, (byte) i})
          .from(pair.queueUrl())
          .sendTo(client, pair.dlqUrl());
      aDeadLetter()
          .body("{\"n\":" + (10 + i) + "}")
          .errorClass("com.example.ValidationException")
          .from(pair.queueUrl())
          .sendTo(client, pair.dlqUrl());
    }

    ReplayResult result =
        dlqs(sqs)
            .replay(
                ReplayRequest.builder(pair.dlqUrl())
                    .filter(MessageFilter.parse("errorClass~Timeout and body:/type=refund"))
                    .build());

    assertThat(result.replayed()).isEqualTo(3);
    assertThat(result.skipped()).isEqualTo(3);
    assertThat(result.failed()).isZero();
    assertThat(result.byDestination()).containsExactly(Map.entry(pair.queueUrl(), 3L));
    // The ones left behind are visible again at once, not after the hold timeout.
    assertThat(Letters.visible(client, pair.dlqUrl())).isEqualTo(3);
    List<Message> replayed = Letters.drain(client, pair.queueUrl());
    assertThat(replayed)
        .extracting(Message::body)
        .containsExactlyInAnyOrder(
            "{\"n\":0,\"type\":\"refund\"}",
            "{\"n\":1,\"type\":\"refund\"}",
            "{\"n\":2,\"type\":\"refund\"}");
    for (Message message : replayed) {
      Map<String, MessageAttributeValue> attributes = message.messageAttributes();
      assertThat(attributes).doesNotContainKey(FailureReason.ATTRIBUTE);
      assertThat(attributes.get("tenant").stringValue()).isEqualTo("acme");
      assertThat(attributes.get("blob").binaryValue().asByteArray()).startsWith(0, 1, (byte) 255);
      assertThat(attributes.get(DeadLetterQueues.REPLAY_COUNT_ATTRIBUTE).stringValue())
          .isEqualTo("1");
    }
    assertThat(Letters.drain(client, pair.dlqUrl()))
        .extracting(Message::body)
        .allMatch(body -> !body.contains("refund"));
  }

  @Test
  void replayToAFifoQueueKeepsGroupsAndGivesFreshDeduplicationIds(LocalSqs sqs) {
    SqsClient client = sqs.client();
    QueuePair pair = sqs.createQueueWithDlq(unique("payments") + ".fifo", 3);
    for (int i = 0; i < 4; i++) {
      aDeadLetter()
          .body("p" + i)
          .group(i % 2 == 0 ? "customer-a" : "customer-b")
          .from(pair.queueUrl())
          .sendTo(client, pair.dlqUrl());
    }

    ReplayResult result = dlqs(sqs).replay(ReplayRequest.builder(pair.dlqUrl()).build());

    assertThat(result.replayed()).isEqualTo(4);
    Map<String, Message> byBody =
        Letters.drain(client, pair.queueUrl()).stream()
            .collect(Collectors.toMap(Message::body, Function.identity()));
    assertThat(byBody).containsOnlyKeys("p0", "p1", "p2", "p3");
    assertThat(byBody.get("p0").attributes().get(MessageSystemAttributeName.MESSAGE_GROUP_ID))
        .isEqualTo("customer-a");
    assertThat(byBody.get("p1").attributes().get(MessageSystemAttributeName.MESSAGE_GROUP_ID))
        .isEqualTo("customer-b");
    assertThat(
            byBody.get("p2").attributes().get(MessageSystemAttributeName.MESSAGE_DEDUPLICATION_ID))
        .startsWith("replay-1-");
  }

  @Test
  void aMessageTooLargeToSendBackStaysInTheDeadLetterQueue(LocalSqs sqs) {
    SqsClient client = sqs.client();
    QueuePair pair = sqs.createQueueWithDlq(unique("big"), 3);
    String atTheLimit = "x".repeat(2000);
    aDeadLetter().body(atTheLimit).from(pair.queueUrl()).sendTo(client, pair.dlqUrl());
    aDeadLetter().body("fits").from(pair.queueUrl()).sendTo(client, pair.dlqUrl());
    DeadLetterQueues limited =
        DeadLetterQueues.builder(FaultySqs.sizeLimited(client, 1000))
            .receiveWaitTime(Duration.ZERO)
            .build();

    ReplayResult result = limited.replay(ReplayRequest.builder(pair.dlqUrl()).build());

    assertThat(result.replayed()).isEqualTo(1);
    assertThat(result.failed()).isEqualTo(1);
    assertThat(result.failures())
        .singleElement()
        .satisfies(f -> assertThat(f.reason()).contains("InvalidParameterValue", "shorter"));
    assertThat(Letters.drain(client, pair.queueUrl()))
        .extracting(Message::body)
        .containsExactly("fits");
    assertThat(Letters.drain(client, pair.dlqUrl()))
        .extracting(Message::body)
        .containsExactly(atTheLimit);
  }

  @Test
  void aDryRunCountsButMovesNothing(LocalSqs sqs) {
    QueuePair pair = sqs.createQueueWithDlq(unique("dry"), 3);
    for (int i = 0; i < 5; i++) {
      aDeadLetter().body("d" + i).from(pair.queueUrl()).sendTo(sqs.client(), pair.dlqUrl());
    }

    ReplayResult result =
        dlqs(sqs).replay(ReplayRequest.builder(pair.dlqUrl()).dryRun(true).limit(3).build());

    assertThat(result.replayed()).isEqualTo(3);
    assertThat(result.dryRun()).isTrue();
    assertThat(Letters.visible(sqs.client(), pair.queueUrl())).isZero();
    assertThat(Letters.visible(sqs.client(), pair.dlqUrl())).isEqualTo(5);
  }

  @Test
  void withoutAFailureReasonAMessageGoesToTheOnlyQueueThatUsesTheDlq(LocalSqs sqs) {
    QueuePair pair = sqs.createQueueWithDlq(unique("bare"), 3);
    aDeadLetter().withoutReason().body("moved by SQS").sendTo(sqs.client(), pair.dlqUrl());

    ReplayResult result = dlqs(sqs).replay(ReplayRequest.builder(pair.dlqUrl()).build());

    assertThat(result.replayed()).isEqualTo(1);
    assertThat(Letters.drain(sqs.client(), pair.queueUrl()))
        .extracting(Message::body)
        .containsExactly("moved by SQS");
  }

  @Test
  void aReplayKeepsTheXRayTraceHeaderOfTheDeadLetter(LocalSqs sqs) {
    QueuePair pair = sqs.createQueueWithDlq(unique("xray"), 3);
    String header = "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1";
    sqs.client()
        .sendMessage(
            b ->
                b.queueUrl(pair.dlqUrl())
                    .messageBody("traced by X-Ray only")
                    .messageSystemAttributesWithStrings(
                        Map.of(
                            "AWSTraceHeader",
                            software.amazon.awssdk.services.sqs.model.MessageSystemAttributeValue
                                .builder()
                                .dataType("String")
                                .stringValue(header)
                                .build())));

    ReplayResult result = dlqs(sqs).replay(ReplayRequest.builder(pair.dlqUrl()).build());

    assertThat(result.replayed()).isEqualTo(1);
    List<Message> replayed =
        sqs.client()
            .receiveMessage(
                b ->
                    b.queueUrl(pair.queueUrl())
                        .messageSystemAttributeNames(MessageSystemAttributeName.AWS_TRACE_HEADER)
                        .waitTimeSeconds(5))
            .messages();
    assertThat(replayed).hasSize(1);
    assertThat(replayed.get(0).attributes())
        .containsEntry(MessageSystemAttributeName.AWS_TRACE_HEADER, header);
  }

  @Test
  void refusesUnknownQueuesAndQueuesThatAreNoDeadLetterQueue(LocalSqs sqs) {
    String plain = sqs.createQueue(unique("plain"));
    assertThatThrownBy(() -> dlqs(sqs).peek("no-such-queue-" + UUID.randomUUID(), 1))
        .isInstanceOfSatisfying(
            DlqException.class,
            e -> assertThat(e.problem()).isEqualTo(DlqException.Problem.QUEUE_NOT_FOUND));
    assertThatThrownBy(() -> dlqs(sqs).replay(ReplayRequest.builder(plain).build()))
        .isInstanceOfSatisfying(
            DlqException.class,
            e -> {
              assertThat(e.problem()).isEqualTo(DlqException.Problem.NOT_A_DEAD_LETTER_QUEUE);
              assertThat(e.getMessage()).contains(plain);
            });
    assertThat(dlqs(sqs).toBuilder().requireDeadLetterQueue(false).build().peek(plain, 1))
        .isEmpty();
  }

  @Test
  void findsQueuesByNameUrlAndArn(LocalSqs sqs) {
    String name = unique("named");
    String url = sqs.createQueue(name);
    DeadLetterQueues dlqs = dlqs(sqs);

    assertThat(dlqs.queueUrl(name)).isEqualTo(url);
    assertThat(dlqs.queueUrl(url)).isEqualTo(url);
    assertThat(dlqs.queueUrl(sqs.queueArn(url))).isEqualTo(url);
  }

  @Test
  void peekShowsMessagesAndLeavesThemVisible(LocalSqs sqs) {
    QueuePair pair = sqs.createQueueWithDlq(unique("peek"), 3);
    for (int i = 0; i < 5; i++) {
      aDeadLetter().body("k" + i).from(pair.queueUrl()).sendTo(sqs.client(), pair.dlqUrl());
    }

    List<DeadLetter> letters = dlqs(sqs).peek(pair.dlqUrl(), 3);

    assertThat(letters).hasSize(3);
    assertThat(letters.get(0).failureReason()).isPresent();
    assertThat(letters.get(0).receiveCount()).isEqualTo(1);
    assertThat(Letters.visible(sqs.client(), pair.dlqUrl())).isEqualTo(5);
  }

  @Test
  void statsGroupByFingerprintAndSourceLargestFirst(LocalSqs sqs) {
    QueuePair pair = sqs.createQueueWithDlq(unique("stats"), 3);
    Instant t0 = Instant.parse("2026-03-01T10:00:00Z");
    for (int i = 0; i < 3; i++) {
      aDeadLetter()
          .fingerprint("aaa")
          .from(pair.queueUrl())
          .failedAt(t0.plusSeconds(i * 60L))
          .sendTo(sqs.client(), pair.dlqUrl());
    }
    aDeadLetter().fingerprint("bbb").from(pair.queueUrl()).sendTo(sqs.client(), pair.dlqUrl());
    aDeadLetter().withoutReason().sendTo(sqs.client(), pair.dlqUrl());

    DlqStats stats = dlqs(sqs).stats(pair.dlqUrl(), MessageFilter.all());

    assertThat(stats.total()).isEqualTo(5);
    assertThat(stats.withoutReason()).isEqualTo(1);
    FailureGroup top = stats.groups().get(0);
    assertThat(top.fingerprint()).isEqualTo("aaa");
    assertThat(top.count()).isEqualTo(3);
    assertThat(top.sourceQueue()).isEqualTo(pair.queueUrl());
    assertThat(top.firstSeen()).isEqualTo(t0);
    assertThat(top.lastSeen()).isEqualTo(t0.plusSeconds(120));
    assertThat(stats.groups()).hasSize(3);
    assertThat(Letters.visible(sqs.client(), pair.dlqUrl())).isEqualTo(5);
  }

  @Test
  void exportPurgeImportRoundTripsByteForByte(LocalSqs sqs, @TempDir Path dir) throws Exception {
    SqsClient client = sqs.client();
    QueuePair pair = sqs.createQueueWithDlq(unique("archive") + ".fifo", 3);
    for (int i = 0; i < 7; i++) {
      aDeadLetter()
          .body("{\"i\":" + i + ",\"text\":\"ünïcødé ✓ \\\"quoted\\\"\\n\"}")
          .group("g" + (i % 3))
          .attribute("tenant", "t" + i)
          .binaryAttribute("raw", new byte[] {(byte) i, 0, (byte) 0x80, (byte) 0xff})
          .from(pair.queueUrl())
          .sendTo(client, pair.dlqUrl());
    }
    Path file = dir.resolve("dlq.jsonl");
    DeadLetterQueues dlqs = dlqs(sqs);
    Map<String, DeadLetter> before = byBody(dlqs.peek(pair.dlqUrl(), 100));
    assertThat(before).hasSize(7);

    ExportResult exported = dlqs.export(ExportRequest.builder(pair.dlqUrl(), file).build());
    assertThat(exported.exported()).isEqualTo(7);
    assertThat(Files.readAllLines(file)).hasSize(7);
    dlqs.purge(pair.dlqUrl());
    assertThat(Letters.drain(client, pair.dlqUrl())).isEmpty();
    ImportResult imported = dlqs.importFile(file, pair.dlqUrl());

    assertThat(imported.sent()).isEqualTo(7);
    Map<String, DeadLetter> after = byBody(dlqs.peek(pair.dlqUrl(), 100));
    assertThat(after.keySet()).isEqualTo(before.keySet());
    for (String body : before.keySet()) {
      DeadLetter original = before.get(body);
      DeadLetter restored = after.get(body);
      assertThat(restored.attributes()).isEqualTo(original.attributes());
      assertThat(restored.messageGroupId()).isEqualTo(original.messageGroupId());
      assertThat(restored.failureReason()).isEqualTo(original.failureReason());
    }
  }

  @Test
  void exportWithDeleteRemovesOnlyWhatWasWritten(LocalSqs sqs, @TempDir Path dir) throws Exception {
    QueuePair pair = sqs.createQueueWithDlq(unique("export"), 3);
    for (int i = 0; i < 6; i++) {
      aDeadLetter()
          .body("e" + i)
          .errorClass(i < 4 ? "com.example.Old" : "com.example.New")
          .from(pair.queueUrl())
          .sendTo(sqs.client(), pair.dlqUrl());
    }
    Path file = dir.resolve("old.jsonl");

    ExportResult result =
        dlqs(sqs)
            .export(
                ExportRequest.builder(pair.dlqUrl(), file)
                    .filter(MessageFilter.parse("errorClass=com.example.Old"))
                    .delete(true)
                    .build());

    assertThat(result.exported()).isEqualTo(4);
    assertThat(result.deleted()).isEqualTo(4);
    assertThat(Files.readAllLines(file)).hasSize(4).allMatch(line -> line.contains("Old"));
    assertThat(Letters.drain(sqs.client(), pair.dlqUrl()))
        .extracting(Message::body)
        .containsExactlyInAnyOrder("e4", "e5");
  }

  @Test
  void exportOfAFifoQueueSaysWhatItCouldNotReachAndDeleteReachesAll(LocalSqs sqs, @TempDir Path dir)
      throws Exception {
    QueuePair pair = sqs.createQueueWithDlq(unique("fifo-export") + ".fifo", 3);
    for (int i = 0; i < 14; i++) {
      aDeadLetter()
          .body("f" + i)
          .group("one-group")
          .from(pair.queueUrl())
          .sendTo(sqs.client(), pair.dlqUrl());
    }
    DeadLetterQueues dlqs = dlqs(sqs);

    ExportResult kept = dlqs.export(ExportRequest.builder(pair.dlqUrl(), dir.resolve("a")).build());

    // SQS hands out a group's later messages only after the earlier ones are deleted.
    assertThat(kept.exported() + kept.notReached()).isEqualTo(14);
    assertThat(kept.notReached()).isPositive();

    ExportResult moved =
        dlqs.export(ExportRequest.builder(pair.dlqUrl(), dir.resolve("b")).delete(true).build());

    assertThat(moved.exported()).isEqualTo(14);
    assertThat(moved.notReached()).isZero();
    assertThat(Files.readAllLines(dir.resolve("b")))
        .extracting(line -> new ObjectMapper().readTree(line).get("body").asText())
        .containsExactly(
            "f0", "f1", "f2", "f3", "f4", "f5", "f6", "f7", "f8", "f9", "f10", "f11", "f12", "f13");
  }

  @Test
  void nativeRedriveReachesCompleted(LocalSqs sqs) {
    QueuePair pair = sqs.createQueueWithDlq(unique("redrive"), 3);
    for (int i = 0; i < 5; i++) {
      aDeadLetter().body("r" + i).from(pair.queueUrl()).sendTo(sqs.client(), pair.dlqUrl());
    }
    DeadLetterQueues dlqs = dlqs(sqs);

    RedriveTask task = dlqs.startRedrive(pair.dlqUrl(), pair.queueUrl(), 100);

    assertThat(task.taskHandle()).isNotBlank();
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () ->
                assertThat(dlqs.redriveTasks(pair.dlqUrl()))
                    .first()
                    .satisfies(t -> assertThat(t.status()).isEqualTo("COMPLETED")));
    assertThat(Letters.drain(sqs.client(), pair.queueUrl())).hasSize(5);
  }

  @Test
  void queuesListsDeadLetterRelationsAndCounts(LocalSqs sqs) {
    String prefix = unique("listing");
    QueuePair pair = sqs.createQueueWithDlq(prefix, 4);
    aDeadLetter().from(pair.queueUrl()).sendTo(sqs.client(), pair.dlqUrl());

    List<QueueInfo> queues = dlqs(sqs).queues(prefix);

    assertThat(queues).extracting(QueueInfo::name).containsExactly(prefix, prefix + "-dlq");
    assertThat(queues.get(0).deadLetterQueueUrl()).isEqualTo(pair.dlqUrl());
    assertThat(queues.get(0).maxReceiveCount()).isEqualTo(4);
    assertThat(queues.get(1).sourceQueueUrls()).containsExactly(pair.queueUrl());
    assertThat(queues.get(1).visible()).isEqualTo(1);
  }

  private static Map<String, DeadLetter> byBody(List<DeadLetter> letters) {
    return letters.stream().collect(Collectors.toMap(DeadLetter::body, Function.identity()));
  }

  @Test
  void anExportLeavesAnExistingFileAloneUnlessAllowedToReplaceIt(LocalSqs sqs, @TempDir Path dir)
      throws Exception {
    QueuePair pair = sqs.createQueueWithDlq(unique("exists"), 3);
    aDeadLetter().body("x").from(pair.queueUrl()).sendTo(sqs.client(), pair.dlqUrl());
    Path file = Files.writeString(dir.resolve("archive.jsonl"), "precious\n");
    DeadLetterQueues dlqs = dlqs(sqs);

    assertThatThrownBy(() -> dlqs.export(ExportRequest.builder(pair.dlqUrl(), file).build()))
        .isInstanceOfSatisfying(
            DlqException.class, e -> assertThat(e.problem()).isEqualTo(DlqException.Problem.IO))
        .hasMessageContaining("already exists");
    assertThat(Files.readString(file)).isEqualTo("precious\n");

    dlqs.export(ExportRequest.builder(pair.dlqUrl(), file).replaceExisting(true).build());

    assertThat(Files.readAllLines(file)).singleElement().asString().contains("\"body\":\"x\"");
  }

  @Test
  void anExportToAStreamWritesTheSameLinesAndCannotDelete(LocalSqs sqs) throws Exception {
    QueuePair pair = sqs.createQueueWithDlq(unique("stream"), 3);
    aDeadLetter()
        .body("s")
        .attribute("tenant", "acme")
        .from(pair.queueUrl())
        .sendTo(sqs.client(), pair.dlqUrl());
    java.io.ByteArrayOutputStream stream = new java.io.ByteArrayOutputStream();

    ExportResult result = dlqs(sqs).export(ExportRequest.builder(pair.dlqUrl(), stream).build());

    assertThat(result.exported()).isEqualTo(1);
    assertThat(result.file()).isNull();
    var line =
        new ObjectMapper().readTree(stream.toString(java.nio.charset.StandardCharsets.UTF_8));
    assertThat(line.get("attributes").get("tenant").get("stringValue").asText()).isEqualTo("acme");
    assertThatThrownBy(() -> ExportRequest.builder(pair.dlqUrl(), stream).delete(true).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("delete needs a file");
  }

  @Test
  void replaysAndImportsSendTenMessagesPerSendMessageBatchCall(LocalSqs sqs, @TempDir Path dir) {
    QueuePair pair = sqs.createQueueWithDlq(unique("batched"), 3);
    for (int i = 0; i < 25; i++) {
      aDeadLetter().body("b" + i).from(pair.queueUrl()).sendTo(sqs.client(), pair.dlqUrl());
    }
    java.util.concurrent.ConcurrentHashMap<String, java.util.concurrent.atomic.AtomicInteger>
        calls = new java.util.concurrent.ConcurrentHashMap<>();
    SqsClient counting =
        FaultySqs.wrap(
            sqs.client(),
            request -> {
              calls
                  .computeIfAbsent(
                      request.getClass().getSimpleName(),
                      k -> new java.util.concurrent.atomic.AtomicInteger())
                  .incrementAndGet();
              return null;
            });
    DeadLetterQueues dlqs =
        DeadLetterQueues.builder(counting)
            .receiveWaitTime(Duration.ZERO)
            .holdTimeout(Duration.ofSeconds(30))
            .build();

    ReplayResult replayed = dlqs.replay(ReplayRequest.builder(pair.dlqUrl()).build());

    assertThat(replayed.replayed()).isEqualTo(25);
    assertThat(calls.get("SendMessageBatchRequest")).hasValue(3);
    assertThat(calls).doesNotContainKey("SendMessageRequest");

    Path file = dir.resolve("batched.jsonl");
    dlqs.toBuilder()
        .requireDeadLetterQueue(false)
        .build()
        .export(ExportRequest.builder(pair.queueUrl(), file).delete(true).build());
    calls.clear();
    ImportResult imported = dlqs.importFile(file, pair.dlqUrl());

    assertThat(imported.sent()).isEqualTo(25);
    assertThat(calls.get("SendMessageBatchRequest")).hasValue(3);
    assertThat(calls).doesNotContainKey("SendMessageRequest");
  }
}
