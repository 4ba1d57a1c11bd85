package dev.sqsworker.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class BatchResultTest {

  @Test
  void aResultNamingNothingIsAllSucceeded() {
    assertThat(BatchResult.builder().build().isAllSucceeded()).isTrue();
    assertThat(BatchResult.allSucceeded().failures()).isEmpty();
  }

  @Test
  void aMessageReportedTwiceIsRefusedNamingIt() {
    var builder = BatchResult.builder().failed("m-1", new IllegalStateException("x"));
    assertThatThrownBy(() -> builder.rejected("m-1", "bad"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("message m-1 is reported twice in one BatchResult");
  }

  @Test
  void aRejectionNeedsAReason() {
    assertThatThrownBy(() -> BatchResult.builder().rejected("m-1", " "))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("m-1");
  }

  @Test
  void aRejectionByErrorKeepsItAsTheCause() {
    var cause = new IllegalArgumentException("no such customer");
    var item = new BatchItem<>("payload", new FakeContext("m-2"));
    var result = BatchResult.builder().rejected(item, cause).build();
    assertThat(result.rejections().get("m-2")).hasMessage("no such customer").hasCause(cause);
  }

  @Test
  void aWorkerTakesEitherAHandlerOrABatchHandler() {
    try (var client =
        software.amazon.awssdk.services.sqs.SqsAsyncClient.builder()
            .region(software.amazon.awssdk.regions.Region.US_EAST_1)
            .credentialsProvider(
                software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider.create())
            .build()) {
      var builder =
          Worker.builder()
              .client(client)
              .config(WorkerConfig.builder().queueUrl("http://sqs/000000000000/q").build())
              .handler(String.class, (body, ctx) -> {})
              .batchHandler(String.class, items -> BatchResult.allSucceeded());
      assertThatThrownBy(builder::build)
          .isInstanceOf(ConfigurationException.class)
          .hasMessageContaining("handler(...) and batchHandler(...) are exclusive");
    }
  }

  /** Just a message id. */
  private record FakeContext(String messageId) implements MessageContext {
    @Override
    public String queueUrl() {
      return "q";
    }

    @Override
    public int receiveCount() {
      return 1;
    }

    @Override
    public int attempt() {
      return 1;
    }

    @Override
    public int maxAttempts() {
      return 3;
    }

    @Override
    public java.util.Map<String, String> attributes() {
      return java.util.Map.of();
    }

    @Override
    public java.time.Instant sentTimestamp() {
      return java.time.Instant.EPOCH;
    }

    @Override
    public java.util.Optional<String> messageGroupId() {
      return java.util.Optional.empty();
    }

    @Override
    public java.util.Optional<String> traceHeader() {
      return java.util.Optional.empty();
    }

    @Override
    public java.util.Optional<String> idempotencyKey() {
      return java.util.Optional.empty();
    }

    @Override
    public java.time.Instant deadline() {
      return java.time.Instant.EPOCH;
    }

    @Override
    public boolean isCancelled() {
      return false;
    }
  }
}
