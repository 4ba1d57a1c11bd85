package dev.sqsworker.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sqsworker.testkit.LocalSqs;
import dev.sqsworker.testkit.WithLocalServices;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The latency histograms (mergeable across tasks: cumulative buckets, not client-side quantiles)
 * and the gauges the dashboard and alerts read, on a real queue.
 */
@WithLocalServices
class WorkerMetricsIT {

  @Test
  void latencyHistogramsHaveTheConfiguredBucketsAndCountEveryOutcome(LocalSqs sqs) {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    try (QueueFixture q = QueueFixture.standard(sqs, "metrics")) {
      Worker worker =
          q.start(
              q.worker(
                      q.config()
                          .concurrency(3)
                          .maxAttempts(1)
                          .latencyBuckets(List.of(Duration.ofSeconds(2), Duration.ofMillis(100)))
                          .build())
                  .meterRegistry(registry)
                  .handler(
                      String.class,
                      (body, context) -> {
                        if (body.equals("reject")) {
                          throw new NonRetryableException("rejected");
                        }
                      }));
      q.send("ok-1");
      q.send("ok-2");
      q.send("reject");
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () ->
                  settle(registry, "succeeded").count() == 2
                      && settle(registry, "dead_lettered").count() == 1);

      Timer handler = registry.get("sqsworker.handler.duration").timer();
      assertThat(handler.count()).isEqualTo(3);
      assertThat(buckets(handler)).containsExactly(0.1, 2.0);
      assertThat(buckets(settle(registry, "succeeded"))).containsExactly(0.1, 2.0);
      Timer queueTime = registry.get("sqsworker.message.queue.time").timer();
      assertThat(queueTime.count()).isEqualTo(3);
      assertThat(queueTime.max(TimeUnit.SECONDS)).isLessThan(60);
      assertThat(registry.get("sqsworker.worker.concurrency").gauge().value()).isEqualTo(3);
      assertThat(registry.get("sqsworker.poll.paused.active").gauge().value()).isZero();
      assertThat(registry.get("sqsworker.pollers.stuck").gauge().value()).isZero();
      worker.close();
      // The dead letter carries the error's bounded stack trace.
      FailureReason dead =
          FailureReason.fromJson(
              q.drainDlq().get(0).messageAttributes().get(FailureReason.ATTRIBUTE).stringValue());
      assertThat(dead.stackTrace()).first().isEqualTo(NonRetryableException.class.getName());
      assertThat(dead.stackTrace()).anySatisfy(l -> assertThat(l).startsWith("at "));
    }
  }

  private static Timer settle(SimpleMeterRegistry registry, String outcome) {
    return registry.get("sqsworker.message.settle.time").tag("outcome", outcome).timer();
  }

  private static List<Double> buckets(Timer timer) {
    return Arrays.stream(timer.takeSnapshot().histogramCounts())
        .map(b -> b.bucket(TimeUnit.SECONDS))
        .toList();
  }
}
