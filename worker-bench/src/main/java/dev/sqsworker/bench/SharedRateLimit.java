package dev.sqsworker.bench;

import dev.sqsworker.core.resilience.Downstream;
import dev.sqsworker.core.resilience.DownstreamConfig;
import dev.sqsworker.core.resilience.DownstreamRateLimitedException;
import dev.sqsworker.core.resilience.Downstreams;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;

/**
 * The global rate limit's cost: two registries (two tasks) share one downstream's limit of 50
 * calls/s through PostgreSQL, four threads each calling as fast as the limit lets them; the
 * database's round trips (statements and commits) per call, and the calls of the busiest second.
 */
final class SharedRateLimit {

  static final int LIMIT = 50;

  private final CountingDataSource db;

  SharedRateLimit(CountingDataSource db) {
    this.db = db;
  }

  /**
   * One round.
   *
   * @param callsPerSecond calls let through per second, both tasks together
   * @param roundTripsPerCall database statements and commits per call let through
   * @param busiestWindow the most calls let through in any 1 s window
   */
  record Result(double callsPerSecond, double roundTripsPerCall, int busiestWindow) {}

  Result run(Duration time) throws Exception {
    DownstreamConfig limited =
        DownstreamConfig.builder()
            .globalRateLimit(LIMIT, Duration.ofSeconds(1))
            .retryAttempts(1)
            .build();
    List<Downstreams> tasks = new ArrayList<>();
    String name = "partner" + System.nanoTime();
    for (int i = 0; i < 2; i++) {
      tasks.add(Downstreams.builder().downstream(name, limited).globalRateStore(db).build());
    }
    ConcurrentLinkedQueue<Long> calls = new ConcurrentLinkedQueue<>();
    try {
      for (Downstreams task : tasks) {
        task.get(name).call(() -> calls.add(System.nanoTime())); // creates the table first
      }
      calls.clear();
      db.reset();
      long start = System.nanoTime();
      long end = start + time.toNanos();
      CountDownLatch done = new CountDownLatch(8);
      for (Downstreams task : tasks) {
        Downstream partner = task.get(name);
        for (int t = 0; t < 4; t++) {
          Thread thread =
              new Thread(
                  () -> {
                    try {
                      while (System.nanoTime() < end) {
                        try {
                          partner.call(() -> calls.add(System.nanoTime()));
                        } catch (DownstreamRateLimitedException e) {
                          // Denied within its wait: a worker parks the message; call again.
                        } catch (Exception e) {
                          throw new IllegalStateException(e);
                        }
                      }
                    } finally {
                      done.countDown();
                    }
                  },
                  "bench-ratelimit-" + t);
          thread.setDaemon(true);
          thread.start();
        }
      }
      done.await();
      double seconds = (System.nanoTime() - start) / 1e9;
      long roundTrips = db.roundTrips();
      List<Long> times = new ArrayList<>(calls);
      times.sort(null);
      int busiest = 0;
      int from = 0;
      for (int to = 0; to < times.size(); to++) {
        while (times.get(to) - times.get(from) >= 1_000_000_000L) {
          from++;
        }
        busiest = Math.max(busiest, to - from + 1);
      }
      return new Result(
          times.size() / seconds, roundTrips / (double) Math.max(1, times.size()), busiest);
    } finally {
      tasks.forEach(Downstreams::close);
    }
  }
}
