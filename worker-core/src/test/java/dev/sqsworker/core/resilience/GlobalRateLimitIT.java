package dev.sqsworker.core.resilience;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.sqsworker.testkit.LocalPostgres;
import dev.sqsworker.testkit.WithLocalServices;
import dev.sqsworker.testkit.faults.FaultyDataSource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Global rate limits against a real PostgreSQL: two registries stand for two tasks sharing one
 * database; a faulty data source stands for the database going away.
 */
@WithLocalServices
class GlobalRateLimitIT {

  private static final Logger LOG = LoggerFactory.getLogger(GlobalRateLimitIT.class);
  private static final int LIMIT = 50;

  static DownstreamConfig limited() {
    return DownstreamConfig.builder()
        .globalRateLimit(LIMIT, Duration.ofSeconds(1))
        .globalRateFallback(0.25)
        .retryAttempts(1)
        .build();
  }

  @Test
  void twoTasksTogetherStayWithinTheLimitInEveryWindow_withFewStatementsPerCall(
      LocalPostgres postgres) throws Exception {
    DataSource db = postgres.dataSource(postgres.createDatabase("global_rate"));
    StatementCounter counter = new StatementCounter();
    ConcurrentLinkedQueue<Long> calls = new ConcurrentLinkedQueue<>();
    AtomicInteger refused = new AtomicInteger();
    List<Downstreams> tasks = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      tasks.add(
          Downstreams.builder()
              .downstream("partner", limited())
              .globalRateStore(counter.wrap(db))
              .build());
    }
    try {
      long warm = counter.statements();
      // Each task's first call creates the table (Flyway) before the clock starts.
      for (Downstreams task : tasks) {
        task.get("partner").call(() -> calls.add(System.nanoTime()));
      }
      calls.clear();
      long before = counter.statements();
      java.util.Map<String, Long> kindsBefore = counter.byKind();
      LOG.info("Schema and first call: {} statements", before - warm);
      long end = System.nanoTime() + Duration.ofSeconds(3).toNanos();
      CountDownLatch start = new CountDownLatch(1);
      List<Thread> threads = new ArrayList<>();
      for (Downstreams task : tasks) {
        Downstream partner = task.get("partner");
        for (int t = 0; t < 4; t++) {
          Thread thread =
              new Thread(
                  () -> {
                    try {
                      start.await();
                      while (System.nanoTime() < end) {
                        try {
                          partner.call(() -> calls.add(System.nanoTime()));
                        } catch (DownstreamRateLimitedException e) {
                          refused.incrementAndGet();
                        }
                      }
                    } catch (Exception e) {
                      throw new IllegalStateException(e);
                    }
                  },
                  "global-rate-caller-" + t);
          thread.start();
          threads.add(thread);
        }
      }
      start.countDown();
      for (Thread thread : threads) {
        thread.join(Duration.ofSeconds(20).toMillis());
      }
      long statements = counter.statements() - before;
      List<Long> times = new ArrayList<>(calls);
      Collections.sort(times);
      LOG.info(
          "{} calls in 3 s by 2 tasks, {} refused, {} statements: {} per call; busiest 1 s window {}",
          times.size(),
          refused.get(),
          statements,
          String.format(java.util.Locale.ROOT, "%.3f", statements / (double) times.size()),
          busiestWindow(times, Duration.ofSeconds(1)));
      java.util.Map<String, Long> kinds = new java.util.TreeMap<>(counter.byKind());
      kindsBefore.forEach((k, v) -> kinds.merge(k, -v, Long::sum));
      LOG.info("Statements by kind while measured: {}", kinds);
      assertThat(busiestWindow(times, Duration.ofSeconds(1))).isLessThanOrEqualTo(LIMIT);
      // The steady rate is a little below the limit (see GlobalRateShape): 40 per 1.05 s.
      assertThat(times.size()).isGreaterThanOrEqualTo(100);
      assertThat(statements / (double) times.size()).isLessThan(0.5);
      assertThat(tasks.get(0).globalRateLimitFallbacks()).isEmpty();
    } finally {
      tasks.forEach(Downstreams::close);
    }
  }

  @Test
  void anUnreachableDatabase_fallsBackToTheTasksShare_saysSo_andComesBack(LocalPostgres postgres)
      throws Exception {
    FaultyDataSource db =
        FaultyDataSource.wrap(postgres.dataSource(postgres.createDatabase("global_rate_down")));
    try (Downstreams task =
        Downstreams.builder().downstream("partner", limited()).globalRateStore(db).build()) {
      Downstream partner = task.get("partner");
      partner.run(() -> {});
      assertThat(partner.globalRateLimitFallback()).isEmpty();

      db.failConnections();
      List<Long> times = new ArrayList<>();
      long end = System.nanoTime() + Duration.ofSeconds(2).toNanos();
      while (System.nanoTime() < end) {
        partner.run(() -> times.add(System.nanoTime()));
      }
      assertThat(partner.globalRateLimitFallback())
          .hasValueSatisfying(reason -> assertThat(reason).contains("database is unreachable"));
      assertThat(task.globalRateLimitFallbacks()).containsKey("partner");
      // The share: a quarter of 50 per second, i.e. at most 12 in any second, once the 9 permits
      // this task held from its last batch are spent.
      assertThat(busiestWindow(times.subList(9, times.size()), Duration.ofSeconds(1)))
          .isBetween(1, 12);

      db.heal();
      await()
          .atMost(Duration.ofSeconds(10))
          .untilAsserted(
              () -> {
                partner.run(() -> {});
                assertThat(partner.globalRateLimitFallback()).isEmpty();
              });
    }
  }

  @Test
  void aCallWhoseWholeWaitIsSpentBeforeTheBucketIsAsked_takesAnAvailablePermitOrIsRefused(
      LocalPostgres postgres) throws Exception {
    FaultyDataSource db =
        FaultyDataSource.wrap(postgres.dataSource(postgres.createDatabase("global_rate_starved")));
    DownstreamConfig config =
        DownstreamConfig.builder()
            .globalRateLimit(2, Duration.ofHours(1))
            .maxWait(Duration.ofMillis(100))
            .retryAttempts(1)
            .build();
    // A starved machine: every step of the call takes 150 ms, so max-wait is over by the time the
    // bucket is asked (as when a call gets the refill lock just as its wait ends).
    AtomicLong now = new AtomicLong();
    try (Downstreams task =
        Downstreams.builder()
            .downstream("partner", config)
            .globalRateStore(db)
            .nanoTime(() -> now.addAndGet(Duration.ofMillis(150).toNanos()))
            .build()) {
      Downstream partner = task.get("partner");
      AtomicInteger calls = new AtomicInteger();
      // The bucket holds this hour's permit: it is taken, not lost to a spent wait.
      partner.run(calls::incrementAndGet);
      assertThat(calls).hasValue(1);
      assertThat(partner.globalRateLimitFallback()).isEmpty();
      // None is left: refused as rate limited (the message is parked), never a stray error.
      assertThatThrownBy(() -> partner.run(calls::incrementAndGet))
          .isInstanceOf(DownstreamRateLimitedException.class);
      assertThat(calls).hasValue(1);
      assertThat(partner.globalRateLimitFallback()).isEmpty();
      // The database goes away: this task's share serves its permit the same way.
      db.failConnections();
      partner.run(calls::incrementAndGet);
      assertThat(calls).hasValue(2);
      assertThat(partner.globalRateLimitFallback())
          .hasValueSatisfying(reason -> assertThat(reason).contains("connection refused"));
    }
  }

  @Test
  void noWaitAtAll_takesAPermitThatIsThere_andRefusesWhenNoneIs(LocalPostgres postgres)
      throws Exception {
    DataSource db = postgres.dataSource(postgres.createDatabase("global_rate_no_wait"));
    DownstreamConfig config =
        DownstreamConfig.builder()
            .globalRateLimit(2, Duration.ofHours(1))
            .maxWait(Duration.ZERO)
            .retryAttempts(1)
            .build();
    try (Downstreams task =
        Downstreams.builder().downstream("partner", config).globalRateStore(db).build()) {
      Downstream partner = task.get("partner");
      AtomicInteger calls = new AtomicInteger();
      partner.run(calls::incrementAndGet);
      assertThat(calls).hasValue(1);
      assertThatThrownBy(() -> partner.run(calls::incrementAndGet))
          .isInstanceOf(DownstreamRateLimitedException.class);
      assertThat(calls).hasValue(1);
      assertThat(partner.globalRateLimitFallback()).isEmpty();
    }
  }

  @Test
  void aGlobalLimitWithoutADatabase_isAConfigurationErrorNamingTheDownstream() {
    assertThatThrownBy(() -> Downstreams.builder().downstream("partner", limited()).build())
        .hasMessageContaining("downstream 'partner': globalRateLimit needs a database");
  }

  /** The most calls in any window of {@code width} starting at a call. */
  static int busiestWindow(List<Long> sortedNanos, Duration width) {
    int most = 0;
    int j = 0;
    for (int i = 0; i < sortedNanos.size(); i++) {
      while (j < sortedNanos.size() && sortedNanos.get(j) - sortedNanos.get(i) < width.toNanos()) {
        j++;
      }
      most = Math.max(most, j - i);
    }
    return most;
  }
}
