package dev.sqsworker.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sqsworker.testkit.LocalSqs;
import dev.sqsworker.testkit.WithLocalServices;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.model.Message;

@WithLocalServices
class WorkerConcurrencyIT {

  private static final int MESSAGES = 10_000;

  @Test
  void tenThousandMessagesWithRandomFailuresAreEachHandledOnceOrDeadLettered(LocalSqs sqs) {
    try (var q = QueueFixture.standard(sqs, "concurrency")) {
      q.sendMany(MESSAGES, i -> "m-" + i);
      Map<String, AtomicInteger> successes = new ConcurrentHashMap<>();
      Map<String, AtomicInteger> running = new ConcurrentHashMap<>();
      AtomicInteger overlaps = new AtomicInteger();
      q.start(
          q.worker(q.config().concurrency(64).maxAttempts(3).build())
              .handler(
                  String.class,
                  (body, ctx) -> {
                    // The same message must never run twice at once.
                    if (running.computeIfAbsent(body, k -> new AtomicInteger()).incrementAndGet()
                        > 1) {
                      overlaps.incrementAndGet();
                    }
                    try {
                      double roll = ThreadLocalRandom.current().nextDouble();
                      if (roll < 0.01) {
                        throw new NonRetryableException("poison " + body);
                      }
                      if (roll < 0.10) {
                        throw new IllegalStateException("flaky " + body);
                      }
                      successes.computeIfAbsent(body, k -> new AtomicInteger()).incrementAndGet();
                    } finally {
                      running.get(body).decrementAndGet();
                    }
                  }));
      await()
          .atMost(Duration.ofMinutes(3))
          .pollInterval(Duration.ofMillis(500))
          .until(() -> q.depth(q.queues.queueUrl()) == 0);
      List<Message> dead = q.drainDlq();
      Set<String> deadBodies = new HashSet<>();
      dead.forEach(m -> deadBodies.add(m.body()));

      assertThat(overlaps).hasValue(0);
      assertThat(successes.values()).allSatisfy(n -> assertThat(n.get()).isEqualTo(1));
      assertThat(deadBodies).doesNotContainAnyElementsOf(successes.keySet());
      assertThat(dead).hasSize(deadBodies.size());
      assertThat(successes.size() + deadBodies.size()).isEqualTo(MESSAGES);
      assertThat(deadBodies).isNotEmpty();
    }
  }
}
