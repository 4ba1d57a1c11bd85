package dev.sqsworker.app.internal;

import dev.sqsworker.app.HealthCheck;
import dev.sqsworker.app.HealthContributor;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The named readiness checks, run together with a time limit each: a check that throws or does not
 * answer in time is unhealthy, so one hung dependency cannot hang {@code /health/ready}.
 */
public final class Readiness implements AutoCloseable {

  /** The longest one check may take. */
  public static final Duration CHECK_TIMEOUT = Duration.ofSeconds(3);

  /**
   * One check's outcome.
   *
   * @param name the contributor's name
   * @param healthy whether it passed
   * @param detail what was seen
   */
  public record Result(String name, boolean healthy, String detail) {}

  private final Map<String, HealthContributor> contributors = new LinkedHashMap<>();
  private final ThreadPoolExecutor executor = newExecutor();

  private static ThreadPoolExecutor newExecutor() {
    // Four core threads that time out when idle: with zero core threads a ThreadPoolExecutor
    // would run every queued check on a single thread, one after the other.
    ThreadPoolExecutor executor =
        new ThreadPoolExecutor(
            4,
            4,
            30,
            TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(64),
            NamedThreads.daemon("sqsworker-health"),
            new ThreadPoolExecutor.AbortPolicy());
    executor.allowCoreThreadTimeOut(true);
    return executor;
  }

  /**
   * Adds a check.
   *
   * @throws IllegalArgumentException if the name is taken
   */
  public synchronized void add(String name, HealthContributor contributor) {
    if (contributors.putIfAbsent(name, contributor) != null) {
      throw new IllegalArgumentException("a health contributor named '" + name + "' exists");
    }
  }

  /** Runs every check; results in the order they were added. */
  public List<Result> check() {
    Map<String, HealthContributor> snapshot;
    synchronized (this) {
      snapshot = new LinkedHashMap<>(contributors);
    }
    Map<String, CompletableFuture<HealthCheck>> running = new LinkedHashMap<>();
    snapshot.forEach(
        (name, contributor) -> {
          try {
            running.put(name, CompletableFuture.supplyAsync(contributor::check, executor));
          } catch (RuntimeException e) {
            running.put(name, CompletableFuture.failedFuture(e));
          }
        });
    long deadline = System.nanoTime() + CHECK_TIMEOUT.toNanos();
    List<Result> results = new ArrayList<>();
    running.forEach((name, future) -> results.add(await(name, future, deadline)));
    return results;
  }

  private static Result await(String name, CompletableFuture<HealthCheck> future, long deadline) {
    try {
      HealthCheck check =
          future.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      if (check == null) {
        return new Result(name, false, "check returned nothing");
      }
      return new Result(name, check.healthy(), check.detail());
    } catch (TimeoutException e) {
      future.cancel(true);
      return new Result(name, false, "no answer within " + CHECK_TIMEOUT.toSeconds() + "s");
    } catch (ExecutionException e) {
      return new Result(name, false, "check failed: " + e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Result(name, false, "interrupted");
    }
  }

  @Override
  public void close() {
    executor.shutdownNow();
  }
}
