package dev.sqsworker.spring.boot;

import dev.sqsworker.core.Worker;
import dev.sqsworker.spring.boot.internal.WorkerAssembler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.context.SmartLifecycle;

/**
 * The application's workers, one per {@code sqsworker.workers.<name>} entry, as one {@link
 * SmartLifecycle}: they are built and started once the context is refreshed (queue names resolved,
 * idempotency tables migrated) and drained when it closes, before the singletons they use (the
 * {@code DataSource}, the SQS client) are destroyed.
 *
 * <p>Phase {@value #PHASE}: workers start after the web server (so health is served while they
 * start) and stop before it stops accepting requests. All workers drain at once, each within its
 * {@code shutdown-grace}; set {@code spring.lifecycle.timeout-per-shutdown-phase} above the largest
 * grace.
 */
public final class SqsWorkers implements SmartLifecycle, SmartInitializingSingleton {

  /** The lifecycle phase: after the web server's start, before its graceful shutdown. */
  public static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 512;

  private static final Logger LOG = LoggerFactory.getLogger(SqsWorkers.class);

  private final WorkerAssembler assembler;
  private final Map<String, Worker> workers = Collections.synchronizedMap(new LinkedHashMap<>());
  private final boolean autoStartup;
  private volatile boolean running;

  SqsWorkers(WorkerAssembler assembler, boolean autoStartup) {
    this.assembler = assembler;
    this.autoStartup = autoStartup;
  }

  /**
   * Checks every entry once all singletons exist, whether or not the workers start with the
   * context: a bad entry stops the application at start.
   */
  @Override
  public void afterSingletonsInstantiated() {
    assembler.plan();
  }

  /** The names of the configured workers, in the order of the properties. */
  public Set<String> names() {
    return assembler.names();
  }

  /** The running worker of that name; empty before start, after stop, or for an unknown name. */
  public Optional<Worker> find(String name) {
    return Optional.ofNullable(workers.get(name));
  }

  /**
   * The worker of that name.
   *
   * @throws IllegalArgumentException if there is no such worker, or it is not started
   */
  public Worker get(String name) {
    return find(name)
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    "no started worker '" + name + "'; workers: " + String.join(", ", names())));
  }

  /** Builds and starts every worker; if one fails, the ones started are closed again. */
  @Override
  public synchronized void start() {
    if (running) {
      return;
    }
    assembler.prepare();
    try {
      for (String name : assembler.names()) {
        Worker worker = assembler.build(name);
        worker.start();
        workers.put(name, worker);
        LOG.info("sqs-worker '{}' started on {}", name, worker.config().queueUrl());
      }
    } catch (RuntimeException e) {
      closeAll();
      throw e;
    }
    running = true;
  }

  @Override
  public void stop() {
    closeAll();
  }

  @Override
  public void stop(Runnable callback) {
    // Drains on its own thread so that other beans of this phase stop meanwhile.
    Thread drain =
        new Thread(
            () -> {
              try {
                closeAll();
              } finally {
                callback.run();
              }
            },
            "sqsworker-spring-shutdown");
    drain.setDaemon(true);
    drain.start();
  }

  /** Closes every worker at once, each within its own grace. */
  private void closeAll() {
    running = false;
    List<Map.Entry<String, Worker>> started;
    synchronized (workers) {
      started = new ArrayList<>(workers.entrySet());
      workers.clear();
    }
    if (started.isEmpty()) {
      return;
    }
    CountDownLatch closed = new CountDownLatch(started.size());
    Duration longest = Duration.ZERO;
    for (Map.Entry<String, Worker> entry : started) {
      Duration grace = entry.getValue().config().shutdownGrace();
      longest = grace.compareTo(longest) > 0 ? grace : longest;
      Thread t =
          new Thread(
              () -> {
                try {
                  entry.getValue().close();
                  LOG.info("sqs-worker '{}' stopped", entry.getKey());
                } catch (RuntimeException e) {
                  LOG.warn("sqs-worker '{}' did not stop cleanly", entry.getKey(), e);
                } finally {
                  closed.countDown();
                }
              },
              "sqsworker-close-" + entry.getKey());
      t.setDaemon(true);
      t.start();
    }
    try {
      // Each close() is bounded by its grace; the margin covers flushing deletions.
      if (!closed.await(longest.plusSeconds(10).toMillis(), TimeUnit.MILLISECONDS)) {
        LOG.warn("Some sqs-workers were still closing after {}", longest.plusSeconds(10));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public boolean isRunning() {
    return running;
  }

  @Override
  public boolean isAutoStartup() {
    return autoStartup;
  }

  @Override
  public int getPhase() {
    return PHASE;
  }
}
