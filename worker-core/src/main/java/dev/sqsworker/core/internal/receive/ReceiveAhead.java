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
 */
final class ReceiveAhead {

  /** The window over which completions are counted. */
  static final long WINDOW_NANOS = 100_000_000L;

  private final int cap;
  private final LongSupplier nanos;
  private final LongAdder completions = new LongAdder();
  private long windowStart;
  private double perNano;
  private boolean measured;
  private double roundTripNanos;

  /**
   * @param cap the most messages ever received ahead; 0 turns receiving ahead off
   * @param nanos a monotonic ticker in nanoseconds
   */
  ReceiveAhead(int cap, LongSupplier nanos) {
    this.cap = cap;
    this.nanos = nanos;
    this.windowStart = nanos.getAsLong();
  }

  /** A handler finished with its message (its slot is free). */
  void completed() {
    completions.increment();
  }

  /** A receive took {@code tookNanos}; {@code full} if it returned every message it asked for. */
  synchronized void received(long tookNanos, boolean full) {
    if (!full || tookNanos <= 0) {
      return;
    }
    roundTripNanos = roundTripNanos == 0 ? tookNanos : 0.8 * roundTripNanos + 0.2 * tookNanos;
  }

  /** The messages that may be received now beyond the free slots. */
  synchronized int allowance() {
    if (cap == 0) {
      return 0;
    }
    long now = nanos.getAsLong();
    long elapsed = now - windowStart;
    if (elapsed >= WINDOW_NANOS) {
      double rate = completions.sumThenReset() / (double) elapsed;
      perNano = !measured || rate < perNano ? rate : 0.5 * perNano + 0.5 * rate;
      measured = true;
      windowStart = now;
    }
    return (int) Math.min(cap, Math.floor(perNano * roundTripNanos + 1e-9));
  }
}
