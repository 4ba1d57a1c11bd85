package dev.sqsworker.core.internal.support;

import dev.sqsworker.core.ServiceLevels;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The worker's own view of its service levels (names in docs/operations.md): per objective ({@code
 * slo="success"} or {@code "latency"}) the SLI counters {@code sqsworker.slo.events} and {@code
 * sqsworker.slo.bad.events}, the configured {@code sqsworker.slo.objective}, the error budget left
 * over the objective's window, {@code 1 − bad ratio / (1 − objective)} (1 untouched, 0 spent, below
 * 0 overspent), and the burn rates {@code bad ratio / (1 − objective)} over the alert rules'
 * windows (5 m, 30 m, 1 h, 6 h). In-process and per task, counted since the task started; the
 * Prometheus rules compute the same across tasks from the counters and histograms.
 */
public final class ServiceLevelMeters {

  /** The burn-rate windows, as in the alert rules. */
  static final List<Duration> BURN_WINDOWS =
      List.of(
          Duration.ofMinutes(5), Duration.ofMinutes(30), Duration.ofHours(1), Duration.ofHours(6));

  private static final int BUDGET_BUCKETS = 720;

  private final Clock clock;
  private final Duration latencyThreshold;
  private final Objective success;
  private final Objective latency;
  private final List<Meter> meters = new ArrayList<>();

  /** Registers the meters of one worker's objectives. */
  public ServiceLevelMeters(MeterRegistry registry, Tags tags, ServiceLevels levels, Clock clock) {
    this.clock = clock;
    this.latencyThreshold = levels.latencyThreshold();
    this.success = new Objective("success", levels.successObjective(), levels.window());
    this.latency = new Objective("latency", levels.latencyObjective(), levels.window());
    success.register(registry, tags);
    latency.register(registry, tags);
  }

  /**
   * Counts a settled message: {@code succeeded} is good for the success objective and, within the
   * threshold, for the latency one; {@code dead_lettered} is bad for the success objective;
   * duplicates count for neither.
   */
  public void settled(String outcome, Duration receiptToSettlement) {
    long now = clock.millis();
    switch (outcome) {
      case "succeeded" -> {
        success.add(now, false);
        latency.add(now, receiptToSettlement.compareTo(latencyThreshold) > 0);
      }
      case "dead_lettered" -> success.add(now, true);
      default -> {
        // Duplicates were settled by an earlier delivery, which counted.
      }
    }
  }

  /** Removes the meters (at shutdown). */
  public void close(MeterRegistry registry) {
    meters.forEach(registry::remove);
  }

  /** One objective's counters, windows and gauges. */
  private final class Objective {
    private final String name;
    private final double objective;
    private final Duration window;
    private final EventWindow budget;
    private final EventWindow recent;
    private Counter events;
    private Counter bad;

    Objective(String name, double objective, Duration window) {
      this.name = name;
      this.objective = objective;
      this.window = window;
      this.budget = new EventWindow(window, BUDGET_BUCKETS);
      // One-minute buckets over the longest burn window.
      this.recent = new EventWindow(Duration.ofHours(6), 360);
    }

    void register(MeterRegistry registry, Tags tags) {
      Tags these = tags.and("slo", name);
      events =
          Counter.builder("sqsworker.slo.events")
              .description("Messages the objective counts (its SLI's denominator)")
              .tags(these)
              .register(registry);
      bad =
          Counter.builder("sqsworker.slo.bad.events")
              .description("Messages that missed the objective")
              .tags(these)
              .register(registry);
      meters.add(events);
      meters.add(bad);
      meters.add(
          Gauge.builder("sqsworker.slo.objective", () -> objective)
              .description("The objective: the share of good events it asks for")
              .tags(these)
              .register(registry));
      meters.add(
          Gauge.builder("sqsworker.slo.error.budget.remaining", this::budgetRemaining)
              .description(
                  "Error budget left over the objective's window: 1 untouched, 0 spent, < 0"
                      + " overspent (this task, since it started)")
              .tags(these)
              .register(registry));
      for (Duration burnWindow : BURN_WINDOWS) {
        meters.add(
            Gauge.builder("sqsworker.slo.burn.rate", () -> burnRate(burnWindow))
                .description("Bad ratio over the window divided by the budget (1 − objective)")
                .tags(these.and("window", label(burnWindow)))
                .register(registry));
      }
    }

    void add(long now, boolean isBad) {
      budget.add(now, isBad);
      recent.add(now, isBad);
      events.increment();
      if (isBad) {
        bad.increment();
      }
    }

    double budgetRemaining() {
      return 1 - budget.sum(clock.millis(), window).badRatio() / (1 - objective);
    }

    double burnRate(Duration over) {
      return recent.sum(clock.millis(), over).badRatio() / (1 - objective);
    }
  }

  static String label(Duration window) {
    return window.toHours() > 0 && window.toMinutesPart() == 0
        ? window.toHours() + "h"
        : window.toMinutes() + "m";
  }
}
