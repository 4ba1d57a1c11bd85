package dev.sqsworker.bench;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import software.amazon.awssdk.http.async.AsyncExecuteRequest;
import software.amazon.awssdk.http.async.SdkAsyncHttpClient;

/**
 * An HTTP client that sends every request a fixed time late, without blocking the caller: what a
 * task sees from real SQS, where each call costs a network round trip that the embedded server on
 * the loopback does not. Each request's answer therefore comes {@code latency} later than it would.
 */
final class LatencyHttpClient implements SdkAsyncHttpClient {

  private final SdkAsyncHttpClient delegate;
  private final long latencyNanos;
  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "bench-latency");
            t.setDaemon(true);
            return t;
          });

  LatencyHttpClient(SdkAsyncHttpClient delegate, Duration latency) {
    this.delegate = delegate;
    this.latencyNanos = latency.toNanos();
  }

  @Override
  public CompletableFuture<Void> execute(AsyncExecuteRequest request) {
    CompletableFuture<Void> result = new CompletableFuture<>();
    timer.schedule(
        () -> {
          delegate
              .execute(request)
              .whenComplete(
                  (ok, e) -> {
                    if (e != null) {
                      result.completeExceptionally(e);
                    } else {
                      result.complete(ok);
                    }
                  });
        },
        latencyNanos,
        TimeUnit.NANOSECONDS);
    return result;
  }

  @Override
  public String clientName() {
    return delegate.clientName();
  }

  @Override
  public void close() {
    timer.shutdownNow();
    delegate.close();
  }
}
