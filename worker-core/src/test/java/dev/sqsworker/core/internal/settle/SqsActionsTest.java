package dev.sqsworker.core.internal.settle;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.sqs.model.SqsException;

class SqsActionsTest {

  private static SqsException entryFailure(String code, String message) {
    return (SqsException)
        SqsException.builder()
            .message(message)
            .awsErrorDetails(AwsErrorDetails.builder().errorCode(code).build())
            .build();
  }

  @Test
  void serverSideAndThrottledFailuresAreRetried() {
    assertThat(SqsActions.isTransient(entryFailure("InternalError", "boom"))).isTrue();
    assertThat(SqsActions.isTransient(entryFailure("ServiceUnavailable", "later"))).isTrue();
    assertThat(SqsActions.isTransient(entryFailure("ThrottlingException", "slow"))).isTrue();
    assertThat(SqsActions.isTransient(SdkClientException.create("connection reset"))).isTrue();
  }

  @Test
  void refusalsAreNotRetried() {
    assertThat(SqsActions.isTransient(entryFailure("AccessDenied", "no"))).isFalse();
    assertThat(SqsActions.isTransient(entryFailure("ReceiptHandleIsInvalid", "gone"))).isFalse();
  }

  @Test
  void anInvalidReceiptIsRecognisedByCodeOrText() {
    assertThat(SqsActions.isInvalidReceipt(entryFailure("ReceiptHandleIsInvalid", "x"))).isTrue();
    assertThat(
            SqsActions.isInvalidReceipt(
                entryFailure("InvalidParameterValue", "The receipt handle \"abc\" is not valid.")))
        .isTrue();
    assertThat(SqsActions.isInvalidReceipt(entryFailure("InternalError", "boom"))).isFalse();
  }

  @Test
  void awaitPendingAlsoWaitsForActionsStartedByFinishingOnes() throws Exception {
    var scheduler = java.util.concurrent.Executors.newSingleThreadScheduledExecutor();
    try (var client =
            software.amazon.awssdk.services.sqs.SqsAsyncClient.builder()
                .region(software.amazon.awssdk.regions.Region.US_EAST_1)
                .endpointOverride(java.net.URI.create("http://localhost:1"))
                .credentialsProvider(
                    software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider.create())
                .build();
        var actions =
            new SqsActions(
                client, "http://localhost:1/q", java.time.Duration.ofMillis(10), scheduler)) {
      var send = new java.util.concurrent.CompletableFuture<Void>();
      var delete = new java.util.concurrent.CompletableFuture<Void>();
      // Like a dead letter: the delete is tracked only once the send completes.
      actions.track(send).thenRun(() -> actions.track(delete));
      var waiting =
          java.util.concurrent.CompletableFuture.supplyAsync(
              () -> actions.awaitPending(java.time.Duration.ofSeconds(10)));
      send.complete(null);
      assertThat(waiting).isNotDone();
      assertThat(actions.pending()).isEqualTo(1);
      delete.complete(null);
      assertThat(waiting.get(5, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
    } finally {
      scheduler.shutdownNow();
    }
  }

  @Test
  void awaitPendingGivesUpWhenItsInjectedTimeSaysTheTimeoutPassed() {
    var scheduler = java.util.concurrent.Executors.newSingleThreadScheduledExecutor();
    // Each reading of the time is a minute later: the first wait is already past a 10 s timeout.
    var nanos = new java.util.concurrent.atomic.AtomicLong();
    try (var client =
            software.amazon.awssdk.services.sqs.SqsAsyncClient.builder()
                .region(software.amazon.awssdk.regions.Region.US_EAST_1)
                .endpointOverride(java.net.URI.create("http://localhost:1"))
                .credentialsProvider(
                    software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider.create())
                .build();
        var actions =
            new SqsActions(
                client,
                "http://localhost:1/q",
                java.time.Duration.ofMillis(10),
                scheduler,
                () -> {},
                () -> nanos.getAndAdd(java.time.Duration.ofMinutes(1).toNanos()))) {
      actions.track(new java.util.concurrent.CompletableFuture<Void>());
      long started = System.nanoTime();
      assertThat(actions.awaitPending(java.time.Duration.ofSeconds(10))).isFalse();
      assertThat(java.time.Duration.ofNanos(System.nanoTime() - started))
          .isLessThan(java.time.Duration.ofSeconds(5));
    } finally {
      scheduler.shutdownNow();
    }
  }
}
