package dev.sqsworker.core.internal.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.sqsworker.core.MutableClock;
import dev.sqsworker.core.ServiceLevels;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ServiceLevelMetersTest {

  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
  private final ServiceLevelMeters slo =
      new ServiceLevelMeters(
          registry,
          Tags.of("queue", "orders"),
          new ServiceLevels(0.99, Duration.ofSeconds(2), 0.9, Duration.ofDays(30)),
          clock);

  private double gauge(String name, String objective) {
    return registry.get(name).tags("slo", objective).gauge().value();
  }

  private double burn(String objective, String window) {
    return registry
        .get("sqsworker.slo.burn.rate")
        .tags("slo", objective, "window", window)
        .gauge()
        .value();
  }

  private double counter(String name, String objective) {
    return registry.get(name).tags("slo", objective).counter().count();
  }

  @Test
  void withoutEventsTheBudgetIsWholeAndNothingBurns() {
    assertThat(gauge("sqsworker.slo.error.budget.remaining", "success")).isEqualTo(1.0);
    assertThat(gauge("sqsworker.slo.objective", "success")).isEqualTo(0.99);
    assertThat(burn("success", "5m")).isZero();
    assertThat(burn("latency", "6h")).isZero();
  }

  @Test
  void deadLettersSpendTheSuccessBudget_andBurnOnlyInTheWindowsThatSeeThem() {
    for (int i = 0; i < 99; i++) {
      slo.settled("succeeded", Duration.ofMillis(100));
    }
    slo.settled("dead_lettered", Duration.ofMillis(100));
    // 1 bad in 100 = 1 %, the whole budget of a 99 % objective: burning at 1x, nothing left.
    assertThat(gauge("sqsworker.slo.error.budget.remaining", "success")).isCloseTo(0, within(1e-9));
    assertThat(burn("success", "5m")).isCloseTo(1, within(1e-9));
    assertThat(counter("sqsworker.slo.events", "success")).isEqualTo(100);
    assertThat(counter("sqsworker.slo.bad.events", "success")).isEqualTo(1);

    clock.advance(Duration.ofMinutes(10));
    for (int i = 0; i < 100; i++) {
      slo.settled("succeeded", Duration.ofMillis(100));
    }
    assertThat(burn("success", "5m")).isZero();
    assertThat(burn("success", "30m")).isCloseTo(0.5, within(1e-9));
    assertThat(gauge("sqsworker.slo.error.budget.remaining", "success"))
        .isCloseTo(0.5, within(1e-9));

    clock.advance(Duration.ofHours(7));
    assertThat(burn("success", "6h")).isZero();
    assertThat(gauge("sqsworker.slo.error.budget.remaining", "success"))
        .isCloseTo(0.5, within(1e-9));

    // Past the 30-day window the dead letter no longer counts.
    clock.advance(Duration.ofDays(30));
    assertThat(gauge("sqsworker.slo.error.budget.remaining", "success")).isEqualTo(1.0);
  }

  @Test
  void slowSuccessesSpendTheLatencyBudget_andDuplicatesCountForNeither() {
    for (int i = 0; i < 8; i++) {
      slo.settled("succeeded", Duration.ofSeconds(1));
    }
    slo.settled("succeeded", Duration.ofSeconds(2));
    slo.settled("succeeded", Duration.ofMillis(2001));
    slo.settled("duplicate", Duration.ofMinutes(5));
    slo.settled("dead_lettered", Duration.ofMinutes(5));

    // 1 slow in 10 successful = 10 %, the budget of a 90 % objective; dead letters are not timed.
    assertThat(counter("sqsworker.slo.events", "latency")).isEqualTo(10);
    assertThat(counter("sqsworker.slo.bad.events", "latency")).isEqualTo(1);
    assertThat(burn("latency", "1h")).isCloseTo(1, within(1e-9));
    assertThat(gauge("sqsworker.slo.error.budget.remaining", "latency")).isCloseTo(0, within(1e-9));
    assertThat(counter("sqsworker.slo.events", "success")).isEqualTo(11);
  }

  @Test
  void overspendingGoesBelowZero() {
    slo.settled("dead_lettered", Duration.ZERO);
    slo.settled("succeeded", Duration.ZERO);
    // 50 % bad against a 1 % budget: fifty budgets' worth.
    assertThat(gauge("sqsworker.slo.error.budget.remaining", "success"))
        .isCloseTo(-49, within(1e-9));
    assertThat(burn("success", "5m")).isCloseTo(50, within(1e-9));
  }

  @Test
  void windowLabelsMatchTheAlertRules() {
    assertThat(ServiceLevelMeters.BURN_WINDOWS.stream().map(ServiceLevelMeters::label))
        .containsExactly("5m", "30m", "1h", "6h");
  }
}
