package dev.sqsworker.bench;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.sqsworker.core.idempotency.Claim;
import dev.sqsworker.core.idempotency.ClaimRequest;
import dev.sqsworker.core.idempotency.ClaimResult;
import dev.sqsworker.core.idempotency.IdempotencySchema;
import dev.sqsworker.core.idempotency.IdempotencyStore;
import dev.sqsworker.testkit.LocalPostgres;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The idempotency table's cost as the work grows: claims (one statement per batch of ten keys, as
 * the worker sends them) against a table of a few thousand rows and against one pre-filled to
 * millions, and claim latency with and without the purge deleting expired rows alongside.
 */
final class ClaimCost {

  private static final int BATCH = 10;
  private static final int THREADS = 4;
  private static final AtomicInteger RUNS = new AtomicInteger();
  private static final AtomicLong IDS = new AtomicLong();

  private final LocalPostgres postgres;

  ClaimCost(LocalPostgres postgres) {
    this.postgres = postgres;
  }

  /**
   * One measurement.
   *
   * @param keysPerSecond keys claimed per second, all threads together
   * @param p50Ms median latency of a claim statement
   * @param p99Ms 99th percentile latency of a claim statement
   * @param purgedPerSecond rows the purge deleted per second (0 without a purge)
   * @param expiredLeft expired rows still in the table at the end (the purge keeps up if small)
   */
  record Result(
      double keysPerSecond, double p50Ms, double p99Ms, double purgedPerSecond, long expiredLeft) {}

  /** A fresh table of {@code rows} completed records, measured as often as asked. */
  Table table(long rows) throws SQLException {
    HikariDataSource db = pool("claims" + RUNS.incrementAndGet());
    IdempotencySchema.migrate(db);
    prefill(db, rows);
    return new Table(db);
  }

  /** A pre-filled table. */
  static final class Table implements AutoCloseable {
    private final HikariDataSource db;

    private Table(HikariDataSource db) {
      this.db = db;
    }

    /**
     * Claims of new keys for {@code time}, as fast as they go ({@code keysPerSecond} 0) or paced to
     * that rate, each batch then completed as already expired; with {@code purge}, the purge runs
     * alongside.
     */
    Result measure(Duration time, double keysPerSecond, boolean purge) throws Exception {
      return ClaimCost.measure(db, time, keysPerSecond, purge);
    }

    @Override
    public void close() {
      db.close();
    }
  }

  private HikariDataSource pool(String prefix) {
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(postgres.jdbcUrl(postgres.createDatabase(prefix)));
    config.setUsername(LocalPostgres.USER);
    config.setPassword(LocalPostgres.PASSWORD);
    config.setMaximumPoolSize(THREADS + 1);
    return new HikariDataSource(config);
  }

  /** {@code rows} completed records of another scope, kept for a week, then ANALYZE. */
  private static void prefill(HikariDataSource db, long rows) throws SQLException {
    try (Connection c = db.getConnection();
        Statement s = c.createStatement()) {
      s.execute("SET synchronous_commit = off");
      long step = 1_000_000;
      for (long from = 1; from <= rows; from += step) {
        long to = Math.min(rows, from + step - 1);
        s.execute(
            "INSERT INTO sqsworker_idempotency (scope, key, status, payload_hash, attempts,"
                + " created_at, updated_at, completed_at, expires_at)"
                + " SELECT 'bench-old', 'order-' || g, 'COMPLETED', md5(g::text), 1, now(), now(),"
                + " now(), now() + interval '7 days' FROM generate_series("
                + from
                + ", "
                + to
                + ") g");
      }
      s.execute("VACUUM ANALYZE sqsworker_idempotency");
    }
  }

  private static Result measure(
      HikariDataSource db, Duration time, double keysPerSecond, boolean purge) throws Exception {
    // Paced: each thread starts its n-th batch no sooner than n × its share of the interval.
    long batchIntervalNanos =
        keysPerSecond > 0 ? (long) (1e9 * BATCH * THREADS / keysPerSecond) : 0;
    boolean complete = keysPerSecond > 0;
    IdempotencyStore store = IdempotencyStore.postgres(db);
    AtomicBoolean running = new AtomicBoolean(true);
    AtomicLong keys = new AtomicLong();
    AtomicLong purged = new AtomicLong();
    List<long[]> latencies = new ArrayList<>();
    CountDownLatch done = new CountDownLatch(THREADS);
    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < THREADS; t++) {
      long[] nanos = new long[2_000_000];
      latencies.add(nanos);
      int thread = t;
      threads.add(
          new Thread(
              () -> {
                int n = 0;
                long first = System.nanoTime();
                try {
                  while (running.get() && n < nanos.length) {
                    long due = first + n * batchIntervalNanos;
                    long early = due - System.nanoTime();
                    if (early > 0) {
                      java.util.concurrent.locks.LockSupport.parkNanos(early);
                    }
                    List<ClaimRequest> batch = new ArrayList<>(BATCH);
                    for (int i = 0; i < BATCH; i++) {
                      long id = IDS.incrementAndGet();
                      batch.add(new ClaimRequest("k-" + id, "h" + id, "t" + id));
                    }
                    Instant now = Instant.now();
                    long start = System.nanoTime();
                    List<ClaimResult> results =
                        store.claim(
                            "bench",
                            batch,
                            "bench-" + thread,
                            now,
                            now.plusSeconds(30),
                            now.plus(Duration.ofDays(7)));
                    nanos[n++] = System.nanoTime() - start;
                    keys.addAndGet(results.size());
                    if (complete) {
                      // Completed at once and already expired: the purge's supply of work.
                      List<Claim> claims = new ArrayList<>();
                      results.stream()
                          .filter(r -> r.status() == ClaimResult.Status.CLAIMED)
                          .forEach(r -> claims.add(r.claim()));
                      store.complete("bench", claims, now, now.minusSeconds(1));
                    }
                  }
                } finally {
                  if (n < nanos.length) {
                    nanos[n] = -1;
                  }
                  done.countDown();
                }
              },
              "bench-claims-" + t));
    }
    Thread purger =
        new Thread(
            () -> {
              while (running.get()) {
                int n = store.purgeExpired(Instant.now(), 1000);
                purged.addAndGet(n);
                if (n == 0) {
                  try {
                    Thread.sleep(50); // the worker's purge also runs on a schedule
                  } catch (InterruptedException e) {
                    return;
                  }
                }
              }
            },
            "bench-purge");
    long start = System.nanoTime();
    threads.forEach(Thread::start);
    if (purge) {
      purger.start();
    }
    Thread.sleep(time.toMillis());
    running.set(false);
    done.await();
    double seconds = (System.nanoTime() - start) / 1e9;
    purger.join();
    long[] all =
        latencies.stream()
            .flatMapToLong(a -> Arrays.stream(a).takeWhile(x -> x > 0))
            .sorted()
            .toArray();
    return new Result(
        keys.get() / seconds,
        all[all.length / 2] / 1e6,
        all[(int) Math.min(all.length - 1, Math.floor(all.length * 0.99))] / 1e6,
        purged.get() / seconds,
        expired(db));
  }

  private static long expired(HikariDataSource db) throws SQLException {
    try (Connection c = db.getConnection();
        PreparedStatement s =
            c.prepareStatement(
                "SELECT count(*) FROM sqsworker_idempotency WHERE expires_at < now()");
        var r = s.executeQuery()) {
      r.next();
      return r.getLong(1);
    }
  }
}
