package dev.sqsworker.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sqsworker.core.idempotency.IdempotencyMode;
import dev.sqsworker.core.idempotency.IdempotencySchema;
import dev.sqsworker.testkit.LocalPostgres;
import dev.sqsworker.testkit.LocalSqs;
import dev.sqsworker.testkit.WithLocalServices;
import java.time.Duration;
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
    Scenarios.Throughput sync = scenarios.syncBaseline(100, 16);
    Scenarios.Throughput async = scenarios.asyncBaseline(100, 16);
    Scenarios.Throughput worker = scenarios.workerNoop(100, 16);
    for (Scenarios.Throughput t : java.util.List.of(sync, async, worker)) {
      assertThat(t.messagesPerSecond()).isPositive();
      assertThat(t.clientCpuMicrosPerMessage()).isPositive();
      // Receiving, parsing and deleting a message allocates kilobytes in the SDK alone (13-20 KB
      // measured): a count near zero would mean the round's threads were not read.
      assertThat(t.clientBytesPerMessage()).isGreaterThan(1_000);
    }
    // Ten per receive and ten per delete is the floor for all three.
    assertThat(sync.requestsPerMessage()).isGreaterThanOrEqualTo(0.2);
    assertThat(async.requestsPerMessage()).isGreaterThanOrEqualTo(0.2);
    assertThat(worker.steadyRequestsPerMessage()).isGreaterThanOrEqualTo(0.2);
    assertThat(scenarios.startup()).isPositive();
  }

  @Test
  void theStarterRowDrainsItsQueue(LocalSqs sqs) throws Exception {
    try (Scenarios scenarios = new Scenarios(sqs)) {
      Scenarios.Throughput spring = scenarios.workerSpring(100, 16);
      assertThat(spring.messagesPerSecond()).isPositive();
      assertThat(spring.steadyRequestsPerMessage()).isGreaterThanOrEqualTo(0.2);
    }
  }

  @Test
  void aServerInItsOwnProcessIsMeasuredApart() throws Exception {
    try (SqsServerProcess server = SqsServerProcess.start();
        LocalSqs sqs = LocalSqs.connect(server.endpoint());
        Scenarios scenarios = new Scenarios(sqs, server::cpuNanos)) {
      Scenarios.Throughput async = scenarios.asyncBaseline(200, 16);
      assertThat(async.messagesPerSecond()).isPositive();
      assertThat(async.serverCpuMicrosPerMessage()).isPositive();
    }
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

  @Test
  void insertRoundsWriteOneRowPerMessageWithEitherHandler(LocalSqs sqs, LocalPostgres postgres)
      throws Exception {
    DataSource db = postgres.dataSource(postgres.createDatabase("bench_inserts"));
    try (Scenarios scenarios = new Scenarios(sqs)) {
      // Each round checks its own row count against its messages, and that the queue drained.
      assertThat(scenarios.workerInsertEach(60, 8, db).messagesPerSecond()).isPositive();
      assertThat(scenarios.workerInsertBatch(60, 8, db).messagesPerSecond()).isPositive();
    }
  }

  @Test
  void ioRoundsAddTheirLatencyAndReportTheLongestStartWait(LocalSqs sqs) throws Exception {
    try (Scenarios scenarios = new Scenarios(sqs)) {
      Scenarios.IoBound io = scenarios.ioBound(40, 10, Duration.ofMillis(20), Duration.ofMillis(5));
      assertThat(io.messagesPerSecond()).isPositive();
      assertThat(io.maxStartWaitMs()).isGreaterThanOrEqualTo(0);
    }
  }

  @Test
  void theLatencyClientAnswersEachRequestNoSoonerThanItsLatency(LocalSqs sqs) throws Exception {
    try (LatencyHttpClient http =
            new LatencyHttpClient(
                software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient.create(),
                Duration.ofMillis(300));
        var client = sqs.newAsyncClient(b -> b.httpClient(http))) {
      String url = sqs.createQueue("latency-" + System.nanoTime());
      long start = System.nanoTime();
      client.getQueueAttributes(b -> b.queueUrl(url)).join();
      long answered = System.nanoTime();
      assertThat(Duration.ofNanos(answered - start)).isGreaterThanOrEqualTo(Duration.ofMillis(300));
    }
  }

  @Test
  void scaleOutRoundsRunTheApplicationInSeveralJvmsAndHandleEachMessageOnce(
      LocalSqs sqs, LocalPostgres postgres) throws Exception {
    ScaleOut scaleOut =
        new ScaleOut(
            sqs,
            postgres,
            System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")));
    // run() itself fails unless every message has exactly one record claimed once.
    ScaleOut.Round round = scaleOut.run(2, 60, 20, 4, Duration.ofMillis(10));
    assertThat(round.jvms()).isEqualTo(2);
    assertThat(round.messagesPerSecond()).isPositive();
    // The worker JVMs' CPU time is read (the figure that tells a CPU-bound round).
    assertThat(round.workerCpuMicrosPerMessage()).isPositive();
    assertThat(round.machineBusy()).isBetween(0.0, 1.0);
  }

  @Test
  void claimRoundsClaimNewKeysAndThePurgeDeletesTheExpiredOnes(LocalPostgres postgres)
      throws Exception {
    try (ClaimCost.Table table = new ClaimCost(postgres).table(1_000)) {
      ClaimCost.Result fast = table.measure(Duration.ofMillis(500), 0, false);
      assertThat(fast.keysPerSecond()).isPositive();
      assertThat(fast.p99Ms()).isGreaterThanOrEqualTo(fast.p50Ms());
      ClaimCost.Result purged = table.measure(Duration.ofMillis(500), 200, true);
      assertThat(purged.purgedPerSecond()).isPositive();
    }
  }

  @Test
  void rateLimitRoundsShareOneLimitAndCountTheDatabaseRoundTrips(LocalPostgres postgres)
      throws Exception {
    DataSource db = postgres.dataSource(postgres.createDatabase("bench_ratelimit"));
    SharedRateLimit.Result round =
        new SharedRateLimit(new CountingDataSource(db)).run(Duration.ofSeconds(2));
    assertThat(round.callsPerSecond()).isPositive();
    assertThat(round.busiestWindow()).isLessThanOrEqualTo(SharedRateLimit.LIMIT);
    assertThat(round.roundTripsPerCall()).isPositive();
  }
}
