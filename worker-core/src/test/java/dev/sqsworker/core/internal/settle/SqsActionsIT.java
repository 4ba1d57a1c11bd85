package dev.sqsworker.core.internal.settle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sqsworker.testkit.LocalSqs;
import dev.sqsworker.testkit.WithLocalServices;
import dev.sqsworker.testkit.faults.SqsFaults;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * A batched action whose answer never comes (here: every batch request held for an hour) does not
 * leave its message waiting: after the action timeout it is sent on its own and finishes.
 */
@WithLocalServices
class SqsActionsIT {

  private final SqsFaults faults = new SqsFaults(31);
  private ScheduledExecutorService scheduler;
  private SqsAsyncClient client;
  private String queueUrl;

  @BeforeEach
  void queue(LocalSqs sqs) {
    queueUrl = sqs.createQueue("actions-" + System.nanoTime());
    // Room for the held batch requests and the flushes after them.
    scheduler = Executors.newScheduledThreadPool(4);
    client =
        sqs.newAsyncClient(b -> b.overrideConfiguration(o -> o.addExecutionInterceptor(faults)));
  }

  @AfterEach
  void close() {
    scheduler.shutdownNow();
    client.close();
  }

  /** Actions that give a batched action 1 s before sending it on its own. */
  private SqsActions actions() {
    return new SqsActions(
        client,
        queueUrl,
        Duration.ofMillis(10),
        scheduler,
        () -> {},
        System::nanoTime,
        Duration.ofSeconds(1));
  }

  /** Lets the held batch request go, so closing the batch manager does not wait for it. */
  private void releaseHeldRequests() {
    faults.clear();
    scheduler.shutdownNow();
  }

  private Message sendAndReceive(LocalSqs sqs) {
    sqs.client().sendMessage(b -> b.queueUrl(queueUrl).messageBody("{}"));
    return sqs.client()
        .receiveMessage(b -> b.queueUrl(queueUrl).waitTimeSeconds(5).visibilityTimeout(300))
        .messages()
        .get(0);
  }

  @Test
  void aDeleteWhoseBatchNeverAnswersIsSentOnItsOwn(LocalSqs sqs) throws Exception {
    faults.on("DeleteMessageBatch").always().delay(Duration.ofHours(1));
    Message message = sendAndReceive(sqs);
    try (var actions = actions()) {
      actions.delete(message).get(30, TimeUnit.SECONDS);

      assertThat(faults.calls("DeleteMessage")).isEqualTo(1);
      await().atMost(Duration.ofSeconds(10)).until(() -> sqs.messageCount(queueUrl) == 0);
      releaseHeldRequests();
    }
  }

  @Test
  void aVisibilityChangeWhoseBatchNeverAnswersIsSentOnItsOwn(LocalSqs sqs) throws Exception {
    faults.on("ChangeMessageVisibilityBatch").always().delay(Duration.ofHours(1));
    Message message = sendAndReceive(sqs);
    try (var actions = actions()) {
      actions.changeVisibility(message, 0).get(30, TimeUnit.SECONDS);

      assertThat(faults.calls("ChangeMessageVisibility")).isEqualTo(1);
      // Visible again at once, instead of after the 300 s it was received with.
      await()
          .atMost(Duration.ofSeconds(10))
          .until(
              () ->
                  !sqs.client()
                      .receiveMessage(b -> b.queueUrl(queueUrl).waitTimeSeconds(1))
                      .messages()
                      .isEmpty());
      releaseHeldRequests();
    }
  }
}
