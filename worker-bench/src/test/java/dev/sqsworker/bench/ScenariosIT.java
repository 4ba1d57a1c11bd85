package dev.sqsworker.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sqsworker.core.idempotency.IdempotencyMode;
import dev.sqsworker.core.idempotency.IdempotencySchema;
import dev.sqsworker.testkit.LocalPostgres;
import dev.sqsworker.testkit.LocalSqs;
import dev.sqsworker.testkit.WithLocalServices;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/** Each scenario runs end to end on a small load; the figures themselves are the benchmark's. */
@WithLocalServices
class ScenariosIT {

  @Test
  void throughputScenariosDrainTheirQueuesAndCountRequests(LocalSqs sqs) throws Exception {
    try (Scenarios scenarios = new Scenarios(sqs)) {
      check(scenarios);
    }
  }

  private static void check(Scenarios scenarios) throws Exception {
    Scenarios.Throughput baseline = scenarios.baseline(100, 10);
    Scenarios.Throughput worker = scenarios.workerNoop(100, 10);
    assertThat(baseline.messagesPerSecond()).isPositive();
    assertThat(worker.messagesPerSecond()).isPositive();
    // Ten per receive and ten per delete is the floor for both.
    assertThat(baseline.requestsPerMessage()).isGreaterThanOrEqualTo(0.2);
    assertThat(worker.steadyRequestsPerMessage()).isGreaterThanOrEqualTo(0.2);
    assertThat(scenarios.startup()).isPositive();
  }

  @Test
  void idempotentRoundsCountTheirDatabaseRoundTrips(LocalSqs sqs, LocalPostgres postgres)
      throws Exception {
    DataSource db = postgres.dataSource(postgres.createDatabase("bench_smoke"));
    IdempotencySchema.migrate(db);
    CountingDataSource counting = new CountingDataSource(db);
    Scenarios.Idempotent round;
    try (Scenarios scenarios = new Scenarios(sqs)) {
      round = scenarios.workerIdempotent(50, 10, counting, IdempotencyMode.NON_TRANSACTIONAL);
    }
    assertThat(round.messagesPerSecond()).isPositive();
    // At least one claim statement per received batch of ten; completions batch further.
    assertThat(round.roundTripsPerMessage()).isGreaterThanOrEqualTo(0.1);
  }
}
