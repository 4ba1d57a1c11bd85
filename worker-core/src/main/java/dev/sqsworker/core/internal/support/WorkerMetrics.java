package dev.sqsworker.core.internal.support;

import dev.sqsworker.core.FailureKind;
import dev.sqsworker.core.ServiceLevels;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.time.Clock;
import java.time.Duration;
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

  /** Messages per batch handler call (recorded only with a batch handler). */
  public final DistributionSummary batchSize;

  public final Timer queueTime;
  private final Map<String, Timer> settleTime = new java.util.HashMap<>();
  public final Timer pollPaused;
  public final Timer startWait;
  private final Map<FailureKind, Counter> deadLettered = new EnumMap<>(FailureKind.class);

  /** The service levels' SLI counters, error budgets and burn rates. */
  public final ServiceLevelMeters serviceLevels;

  /**
   * Registers the meters for one queue.
   *
   * @param buckets the latency histograms' bucket boundaries (mergeable across tasks)
   * @param concurrency the worker's concurrency, as a gauge next to in-flight
   * @param paused 1 while polling is paused, else 0
   * @param stuckPollers how many pollers made no progress for too long
   * @param levels the service level objectives
   * @param clock the wall clock the objectives' windows move with
   */
  public WorkerMetrics(
      MeterRegistry registry,
      String queueName,
      Supplier<Number> inFlight,
      List<Duration> buckets,
      int concurrency,
      Supplier<Number> paused,
      Supplier<Number> stuckPollers,
      ServiceLevels levels,
      Clock clock) {
    this.registry = registry;
    Tags tags = Tags.of("queue", queueName);
    serviceLevels = new ServiceLevelMeters(registry, tags, levels, clock);
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
        histogram("sqsworker.handler.duration", "Time spent in the handler", tags, buckets);
    meters.add(handlerDuration);
    batchSize =
        DistributionSummary.builder("sqsworker.batch.size")
            .description("Messages per batch handler call")
            .baseUnit("messages")
            .tags(tags)
            .register(registry);
    meters.add(batchSize);
    pollPaused =
        Timer.builder("sqsworker.poll.paused")
            .description("Periods in which polling was paused (open breaker, store down)")
            .tags(tags)
            .register(registry);
    meters.add(pollPaused);
    startWait =
        Timer.builder("sqsworker.message.start.wait")
            .description(
                "Time from a message's arrival in the worker to a handler thread taking it up")
            .tags(tags)
            .register(registry);
    meters.add(startWait);
    meters.add(
        Gauge.builder("sqsworker.messages.in.flight", inFlight)
            .description("Messages being handled")
            .tags(tags)
            .register(registry));
    queueTime =
        histogram(
            "sqsworker.message.queue.time",
            "Time from the message's SentTimestamp to its receipt",
            tags,
            buckets);
    for (String outcome : List.of("succeeded", "duplicate", "dead_lettered")) {
      settleTime.put(
          outcome,
          histogram(
              "sqsworker.message.settle.time",
              "Time from receipt to settlement (deleted after success, or dead-lettered)",
              tags.and("outcome", outcome),
              buckets));
    }
    meters.add(
        Gauge.builder("sqsworker.worker.concurrency", () -> concurrency)
            .description("Handlers the worker runs at most at once")
            .tags(tags)
            .register(registry));
    meters.add(
        Gauge.builder("sqsworker.poll.paused.active", paused)
            .description("1 while polling is paused (open breaker, store down), else 0")
            .tags(tags)
            .register(registry));
    meters.add(
        Gauge.builder("sqsworker.pollers.stuck", stuckPollers)
            .description("Pollers that made no progress for their long poll plus 60 s")
            .tags(tags)
            .register(registry));
  }

  private Timer histogram(String name, String description, Tags tags, List<Duration> buckets) {
    Timer timer =
        Timer.builder(name)
            .description(description)
            .tags(tags)
            .serviceLevelObjectives(buckets.toArray(Duration[]::new))
            .register(registry);
    meters.add(timer);
    return timer;
  }

  /** The settle-time histogram of an outcome: succeeded, duplicate or dead_lettered. */
  public Timer settleTime(String outcome) {
    Timer timer = settleTime.get(outcome);
    if (timer == null) {
      throw new IllegalArgumentException("no settle-time outcome " + outcome);
    }
    return timer;
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
    serviceLevels.close(registry);
  }
}
