package dev.sqsworker.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sqsworker.testkit.LocalSqs;
import dev.sqsworker.testkit.WithLocalServices;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;
import software.amazon.awssdk.services.sqs.model.GetQueueAttributesRequest;
import software.amazon.awssdk.services.sqs.model.GetQueueAttributesResponse;
import software.amazon.awssdk.services.sqs.model.ReceiveMessageRequest;
import software.amazon.awssdk.services.sqs.model.ReceiveMessageResponse;

@WithLocalServices
class StuckPollerIT {

  /** Fault injection: the real client, except that a receive never answers. */
  static final class HangingReceives implements SqsAsyncClient {
    private final SqsAsyncClient real;

    HangingReceives(SqsAsyncClient real) {
      this.real = real;
    }

    @Override
    public CompletableFuture<GetQueueAttributesResponse> getQueueAttributes(
        GetQueueAttributesRequest request) {
      return real.getQueueAttributes(request);
    }

    @Override
    public CompletableFuture<GetQueueAttributesResponse> getQueueAttributes(
        Consumer<GetQueueAttributesRequest.Builder> request) {
      return real.getQueueAttributes(request);
    }

    @Override
    public CompletableFuture<ReceiveMessageResponse> receiveMessage(ReceiveMessageRequest request) {
      return new CompletableFuture<>();
    }

    @Override
    public String serviceName() {
      return real.serviceName();
    }

    @Override
    public void close() {}
  }

  @Test
  void aPollerWhoseReceiveNeverReturnsIsReportedStuck(LocalSqs sqs) {
    try (var q = QueueFixture.standard(sqs, "stuck")) {
      MutableClock clock = new MutableClock(Instant.parse("2026-05-01T12:00:00Z"));
      Worker worker =
          q.start(
              Worker.builder()
                  .client(new HangingReceives(q.client))
                  .config(q.config().pollers(1).build())
                  .clock(clock)
                  .handler(String.class, (body, context) -> {}));
      assertThat(worker.isHealthy()).isTrue();

      clock.advance(Duration.ofSeconds(30));
      assertThat(worker.isHealthy()).as("within the long poll and its grace").isTrue();

      clock.advance(Duration.ofMinutes(2));
      WorkerHealth health = worker.health();
      assertThat(health.healthy()).isFalse();
      assertThat(health.detail()).contains("1 of 1 pollers made no progress");
      assertThat(health.pollersAlive()).isEqualTo(1);
    }
  }
}
