package dev.sqsworker.core.internal.admit;

import dev.sqsworker.core.idempotency.Claim;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * Gathers completions into one statement: whatever is queued, topped up to ten within the flush
 * window (measured on an injected nanosecond ticker), at most {@link #MAX_BATCH}. Each future
 * completes when the statement holding it succeeded (with false if the claim had been taken over),
 * or exceptionally with the statement's failure.
 */
final class CompletionBatcher {

  static final int MAX_BATCH = 50;
  private static final int TOP_UP = 10;

  private record Pending(Claim claim, CompletableFuture<Boolean> done) {}

  private final LinkedBlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
  private final Duration window;
  private final LongSupplier nanos;
  private final Function<List<Claim>, Set<String>> write;
  private final String threadName;
  private Thread thread;
  private volatile boolean running;

  /**
   * Creates the batcher.
   *
   * @param write writes one batch and returns the keys whose claim was lost; throws when it failed
   */
  CompletionBatcher(
      Duration window,
      LongSupplier nanos,
      Function<List<Claim>, Set<String>> write,
      String threadName) {
    this.window = window;
    this.nanos = nanos;
    this.write = write;
    this.threadName = threadName;
  }

  void start() {
    running = true;
    thread = new Thread(this::loop, threadName);
    thread.setDaemon(true);
    thread.start();
  }

  CompletableFuture<Boolean> add(Claim claim) {
    CompletableFuture<Boolean> done = new CompletableFuture<>();
    queue.add(new Pending(claim, done));
    return done;
  }

  private void loop() {
    List<Pending> batch = new ArrayList<>();
    while (running || !queue.isEmpty()) {
      try {
        Pending head = queue.poll(window.toMillis(), TimeUnit.MILLISECONDS);
        if (head == null) {
          continue;
        }
        batch.add(head);
        queue.drainTo(batch, MAX_BATCH - 1);
        long deadline = nanos.getAsLong() + window.toNanos();
        Pending more;
        while (batch.size() < TOP_UP
            && (more = queue.poll(Math.max(0, deadline - nanos.getAsLong()), TimeUnit.NANOSECONDS))
                != null) {
          batch.add(more);
        }
        flush(batch);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } finally {
        batch.clear();
      }
    }
  }

  private void flush(List<Pending> batch) {
    try {
      Set<String> lost = write.apply(batch.stream().map(Pending::claim).toList());
      batch.forEach(p -> p.done().complete(!lost.contains(p.claim().key())));
    } catch (RuntimeException e) {
      batch.forEach(p -> p.done().completeExceptionally(e));
    }
  }

  /** Stops after writing what is queued (waits at most {@code timeout}). */
  void close(Duration timeout) {
    running = false;
    if (thread != null) {
      try {
        thread.join(timeout.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
