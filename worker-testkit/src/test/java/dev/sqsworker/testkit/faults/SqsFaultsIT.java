package dev.sqsworker.testkit.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sqsworker.testkit.LocalSqs;
import dev.sqsworker.testkit.WithLocalServices;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.SqsException;

@WithLocalServices
class SqsFaultsIT {

  private static final AtomicInteger NAMES = new AtomicInteger();

  private final SqsFaults faults = new SqsFaults(7);
  private LocalSqs sqs;
  private SqsAsyncClient client;
  private String queue;

  @BeforeEach
  void setUp(LocalSqs sqs) {
    this.sqs = sqs;
    this.client =
        sqs.newAsyncClient(b -> b.overrideConfiguration(o -> o.addExecutionInterceptor(faults)));
    this.queue = sqs.createQueue("faults-" + NAMES.incrementAndGet());
  }

  @AfterEach
  void tearDown() {
    client.close();
  }

  private Message receiveOne() {
    sqs.client().sendMessage(b -> b.queueUrl(queue).messageBody("x"));
    return sqs.client()
        .receiveMessage(b -> b.queueUrl(queue).waitTimeSeconds(1).visibilityTimeout(30))
        .messages()
        .get(0);
  }

  @Test
  void failsTheChosenCallsOfAnActionOnly() {
    faults.on("GetQueueUrl").calls(2).serverError();
    String name = queue.substring(queue.lastIndexOf('/') + 1);
    assertThat(client.getQueueUrl(b -> b.queueName(name)).join().queueUrl()).isEqualTo(queue);
    assertThatThrownBy(() -> client.getQueueUrl(b -> b.queueName(name)).join())
        .isInstanceOf(CompletionException.class)
        .cause()
        .isInstanceOfSatisfying(
            SqsException.class,
            e -> {
              assertThat(e.statusCode()).isEqualTo(500);
              assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InternalError");
            });
    assertThat(client.getQueueUrl(b -> b.queueName(name)).join().queueUrl()).isEqualTo(queue);
    assertThat(faults.calls("GetQueueUrl")).isEqualTo(3);
    assertThat(faults.injected()).isEqualTo(1);
  }

  @Test
  void throttlesWithTheThrottlingCode() {
    faults.on("*").always().times(1).throttle();
    assertThatThrownBy(() -> client.listQueues().join())
        .cause()
        .isInstanceOfSatisfying(
            SqsException.class,
            e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ThrottlingException"));
    assertThat(client.listQueues().join().queueUrls()).contains(queue);
  }

  @Test
  void probabilityInjectsAboutThatShareOfCalls() {
    faults.on("ListQueues").probability(0.25).serverError();
    int failed = 0;
    for (int i = 0; i < 200; i++) {
      try {
        client.listQueues().join();
      } catch (CompletionException e) {
        failed++;
      }
    }
    assertThat(failed).isBetween(25, 75).isEqualTo(faults.injected());
  }

  @Test
  void failedEntriesOfABatchAreReportedAndNeverReachTheServer() {
    Message m = receiveOne();
    faults.on("DeleteMessageBatch").calls(1).failEntries("InternalError");
    var entry = DeleteMessageBatchRequestEntry.builder().id("a").receiptHandle(m.receiptHandle());
    var response = client.deleteMessageBatch(b -> b.queueUrl(queue).entries(entry.build())).join();
    assertThat(response.successful()).isEmpty();
    assertThat(response.failed())
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.id()).isEqualTo("a");
              assertThat(e.code()).isEqualTo("InternalError");
              assertThat(e.senderFault()).isFalse();
            });
    // Not deleted: a second call (no fault) deletes it.
    var again = client.deleteMessageBatch(b -> b.queueUrl(queue).entries(entry.build())).join();
    assertThat(again.successful()).hasSize(1);
    assertThat(again.failed()).isEmpty();
  }

  @Test
  void delayHoldsTheCallBack() {
    faults.on("ListQueues").calls(1).delay(Duration.ofMillis(300));
    long start = System.nanoTime();
    client.listQueues().join();
    assertThat(Duration.ofNanos(System.nanoTime() - start))
        .isGreaterThanOrEqualTo(Duration.ofMillis(300));
    assertThat(faults.injected()).isEqualTo(1);
  }

  @Test
  void removedRulesAndClearStopInjecting() {
    var rule = faults.on("ListQueues").always().serverError();
    assertThatThrownBy(() -> client.listQueues().join()).isInstanceOf(CompletionException.class);
    rule.remove();
    assertThat(client.listQueues().join().queueUrls()).isNotEmpty();
    faults.on("ListQueues").always().serverError();
    faults.clear();
    assertThat(client.listQueues().join().queueUrls()).isNotEmpty();
    assertThat(List.of(rule.injected())).containsExactly(1);
  }

  @Test
  void refusesSendsLargerThanTheSizeRuleLikeSqs() {
    var rule = faults.on("SendMessage").always().refuseLargerThan(1024);
    client.sendMessage(b -> b.queueUrl(queue).messageBody("x".repeat(1000))).join();
    assertThatThrownBy(
            () ->
                client
                    .sendMessage(
                        b ->
                            b.queueUrl(queue)
                                .messageBody("x".repeat(1000))
                                .messageAttributes(
                                    java.util.Map.of(
                                        "a",
                                        software.amazon.awssdk.services.sqs.model
                                            .MessageAttributeValue.builder()
                                            .dataType("String")
                                            .stringValue("y".repeat(30))
                                            .build())))
                    .join())
        .cause()
        .isInstanceOfSatisfying(
            SqsException.class,
            e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidParameterValue"));
    assertThat(rule.injected()).isEqualTo(1);
  }
}
