package dev.sqsworker.core.internal.support;

import dev.sqsworker.core.FailureKind;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/** The worker's Micrometer meters, tagged with the queue name. */
public final class WorkerMetrics {

  private final MeterRegistry registry;
  private final List<Meter> meters = new ArrayList<>();
  public final Counter received;
  public final Counter succeeded;
  public final Counter failed;
  public final Counter retried;
  public final Counter released;
  public final Counter parked;
  public final Counter duplicates;
  public final Counter extensions;
  public final Counter extensionFailures;
  public final Counter pollErrors;
  public final Counter deleteFailures;
  public final Counter completionFailures;
  public final Counter deadLetterFailures;
  public final Counter invalidReceipts;
  public final Counter completionsLost;
  public final Timer handlerDuration;
  public final Timer pollPaused;
  private final Map<FailureKind, Counter> deadLettered = new EnumMap<>(FailureKind.class);

  /** Registers the meters for one queue. */
  public WorkerMetrics(MeterRegistry registry, String queueName, Supplier<Number> inFlight) {
    this.registry = registry;
    Tags tags = Tags.of("queue", queueName);
    received = counter("sqsworker.messages.received", "Messages received", tags);
    succeeded = counter("sqsworker.messages.succeeded", "Messages handled successfully", tags);
    failed = counter("sqsworker.messages.failed", "Handler failures (before retry or DLQ)", tags);
    retried = counter("sqsworker.messages.retried", "Messages put back with a backoff", tags);
    released =
        counter("sqsworker.messages.released", "Messages released unhandled (visibility 0)", tags);
    parked =
        counter(
            "sqsworker.messages.parked",
            "Messages put back while a downstream's circuit breaker was open (attempt not counted)",
            tags);
    duplicates =
        counter("sqsworker.messages.duplicates", "Messages skipped as already completed", tags);
    extensions =
        counter(
            "sqsworker.visibility.extensions", "Visibility extensions of in-flight messages", tags);
    extensionFailures =
        counter(
            "sqsworker.visibility.extension.failures",
            "Visibility extensions that failed (handler cancelled)",
            tags);
    pollErrors = counter("sqsworker.poll.errors", "Failed receive requests", tags);
    deleteFailures = counter("sqsworker.delete.failures", "Deletions that failed", tags);
    invalidReceipts =
        counter(
            "sqsworker.receipt.invalid",
            "Deletes or visibility changes refused for a receipt handle no longer valid",
            tags);
    deadLetterFailures =
        counter(
            "sqsworker.dlq.send.failures",
            "Dead-letter sends (or the deletes after them) that failed; the message is tried again",
            tags);
    completionFailures =
        counter(
            "sqsworker.idempotency.completion.failures",
            "Completion writes that failed and were tried again (message kept, not deleted)",
            tags);
    completionsLost =
        counter(
            "sqsworker.idempotency.completion.lost",
            "Completions that matched no claim: the lease had been taken over",
            tags);
    for (FailureKind kind : FailureKind.values()) {
      deadLettered.put(
          kind,
          counter(
              "sqsworker.messages.dead.lettered",
              "Messages sent to the dead-letter queue",
              tags.and("reason", kind.name())));
    }
    handlerDuration =
        Timer.builder("sqsworker.handler.duration")
            .description("Time spent in the handler")
            .tags(tags)
            .publishPercentiles(0.5, 0.95, 0.99)
            .register(registry);
    meters.add(handlerDuration);
    pollPaused =
        Timer.builder("sqsworker.poll.paused")
            .description("Periods in which polling was paused (open breaker, store down)")
            .tags(tags)
            .register(registry);
    meters.add(pollPaused);
    meters.add(
        Gauge.builder("sqsworker.messages.in.flight", inFlight)
            .description("Messages being handled")
            .tags(tags)
            .register(registry));
  }

  private Counter counter(String name, String description, Tags tags) {
    Counter counter = Counter.builder(name).description(description).tags(tags).register(registry);
    meters.add(counter);
    return counter;
  }

  /** The dead-letter counter for one reason. */
  public Counter deadLettered(FailureKind kind) {
    return deadLettered.get(kind);
  }

  /** Removes the meters from the registry (at shutdown). */
  public void close() {
    meters.forEach(registry::remove);
  }
}
