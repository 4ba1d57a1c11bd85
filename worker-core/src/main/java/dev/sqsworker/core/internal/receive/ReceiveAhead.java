package dev.sqsworker.core.internal.receive;

import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/**
 * How many messages the pollers may receive beyond the free handler slots: as many as are expected
 * to free up within one receive round trip (the handlers' completion rate times the round trip), so
 * a slot that frees is refilled without waiting a round trip, and a message received ahead waits
 * for its slot no longer than about one round trip.
 *
 * <p>The completion rate follows drops at once and rises gradually, so a sudden slow-down of the
 * handlers stops receiving ahead within one window. The round trip is measured on receives that
 * came back full (the queue had a backlog, so the answer did not wait for messages to arrive). Time
 * comes from the injected ticker.
 *
 * <p>An average rate misses bursts: handlers that started together (a full receive, the first fill,
 * a backlog arriving at once) finish together, and their slots free within a moment, not spread
 * over the handler time; messages received ahead by the rate then wait for the next burst. So when
 * the handlers take about the same time each (runs measured per window, deviation at most half the
 * mean) and longer than a round trip, the allowance is instead the running handlers expected to
 * finish within one round trip (those that have run nearly the typical time, but are not overdue):
 * the messages received for them arrive about when their slots free.
 */
final class ReceiveAhead {

  /** The window over which completions are counted. */
  static final long WINDOW_NANOS = 100_000_000L;

  private final int cap;
  private final LongSupplier nanos;
  private final LongAdder completions = new LongAdder();
  private final LongAdder runs = new LongAdder();
  private final LongAdder runNanos = new LongAdder();
  private final java.util.concurrent.atomic.DoubleAdder runSquares =
      new java.util.concurrent.atomic.DoubleAdder();
  private long windowStart;
  private double perNano;
  private boolean measured;
  private double roundTripNanos;
  private double meanRunNanos = -1;
  private double deviationRunNanos;

  /**
   * @param cap the most messages ever received ahead; 0 turns receiving ahead off
   * @param nanos a monotonic ticker in nanoseconds
   */
  ReceiveAhead(int cap, LongSupplier nanos) {
    this.cap = cap;
    this.nanos = nanos;
    this.windowStart = nanos.getAsLong();
  }

  /**
   * A handler slot is free again, after running its message for {@code ranNanos}; negative if the
   * message was given back without running (it frees a slot but says nothing of run times).
   */
  void completed(long ranNanos) {
    completions.increment();
    if (ranNanos >= 0) {
      runs.increment();
      runNanos.add(ranNanos);
      runSquares.add((double) ranNanos * ranNanos);
    }
  }

  /** A receive took {@code tookNanos}; {@code full} if it returned every message it asked for. */
  synchronized void received(long tookNanos, boolean full) {
    if (!full || tookNanos <= 0) {
      return;
    }
    roundTripNanos = roundTripNanos == 0 ? tookNanos : 0.8 * roundTripNanos + 0.2 * tookNanos;
  }

  /**
   * The ages (nanoseconds run so far) at which a running handler is expected to finish within one
   * round trip plus {@code gatherNanos} (the time a poller may wait to fill its batch before it
   * sends the receive): from {@code [0]} up to {@code [1]}; a handler older than that is overdue,
   * and when it will finish is anyone's guess. Null when runs cannot be predicted: none measured
   * yet, no round trip known, runs that vary too much (deviation above half the mean), or runs not
   * longer than the round trip (the completion rate says it all then).
   */
  synchronized long[] finishingAges(long gatherNanos) {
    rollWindow();
    if (cap == 0
        || meanRunNanos < 0
        || roundTripNanos == 0
        || deviationRunNanos > 0.5 * meanRunNanos) {
      return null;
    }
    double from = meanRunNanos - roundTripNanos - gatherNanos;
    if (from <= 0) {
      return null;
    }
    double to = meanRunNanos + Math.max(deviationRunNanos, roundTripNanos);
    return new long[] {(long) from, (long) to};
  }

  /** The messages that may be received now beyond the free slots, by the completion rate. */
  synchronized int allowance() {
    return allowance(-1);
  }

  /**
   * The messages that may be received now beyond the free slots: {@code finishingSoon}, the running
   * handlers within {@link #finishingAges(long)}, when runs can be predicted (0 or more), else the
   * completion rate times the round trip (-1).
   */
  synchronized int allowance(int finishingSoon) {
    if (cap == 0) {
      return 0;
    }
    rollWindow();
    if (finishingSoon >= 0) {
      return Math.min(cap, finishingSoon);
    }
    return (int) Math.min(cap, Math.floor(perNano * roundTripNanos + 1e-9));
  }

  private void rollWindow() {
    long now = nanos.getAsLong();
    long elapsed = now - windowStart;
    if (elapsed < WINDOW_NANOS) {
      return;
    }
    long n = completions.sumThenReset();
    double rate = n / (double) elapsed;
    perNano = !measured || rate < perNano ? rate : 0.5 * perNano + 0.5 * rate;
    measured = true;
    windowStart = now;
    long ran = runs.sumThenReset();
    double total = runNanos.sumThenReset();
    double squares = runSquares.sumThenReset();
    if (ran > 0) {
      double mean = total / ran;
      double deviation = Math.sqrt(Math.max(0, squares / ran - mean * mean));
      boolean first = meanRunNanos < 0;
      meanRunNanos = first ? mean : 0.5 * meanRunNanos + 0.5 * mean;
      deviationRunNanos = first ? deviation : 0.5 * deviationRunNanos + 0.5 * deviation;
    }
  }
}
