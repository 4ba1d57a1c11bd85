package dev.sqsworker.core.internal.support;

import java.time.Duration;

/**
 * Counts of events and of bad events over a sliding time span, in a ring of fixed-width buckets
 * (memory bounded whatever the rate). Pure: the time is an argument, so tests move it by hand.
 * Thread-safe.
 */
final class EventWindow {

  /** Events and bad events summed over a span. */
  record Counts(long events, long bad) {
    /** The bad share, or 0 without events. */
    double badRatio() {
      return events == 0 ? 0 : (double) bad / events;
    }
  }

  private final long width;
  private final long[] bucketOf;
  private final long[] events;
  private final long[] bad;

  /** A window of {@code span} in {@code buckets} buckets of {@code span / buckets} each. */
  EventWindow(Duration span, int buckets) {
    this.width = Math.max(1, span.toMillis() / buckets);
    this.bucketOf = new long[buckets];
    this.events = new long[buckets];
    this.bad = new long[buckets];
    java.util.Arrays.fill(bucketOf, Long.MIN_VALUE);
  }

  /** Counts one event at {@code epochMillis}. */
  synchronized void add(long epochMillis, boolean isBad) {
    long bucket = Math.floorDiv(epochMillis, width);
    int slot = (int) Math.floorMod(bucket, (long) bucketOf.length);
    if (bucketOf[slot] != bucket) {
      bucketOf[slot] = bucket;
      events[slot] = 0;
      bad[slot] = 0;
    }
    events[slot]++;
    if (isBad) {
      bad[slot]++;
    }
  }

  /**
   * The counts of the last {@code span} before {@code epochMillis} (whole buckets, at most all).
   */
  synchronized Counts sum(long epochMillis, Duration span) {
    long now = Math.floorDiv(epochMillis, width);
    long n = Math.min(bucketOf.length, Math.max(1, (span.toMillis() + width - 1) / width));
    long total = 0;
    long totalBad = 0;
    for (long bucket = now - n + 1; bucket <= now; bucket++) {
      int slot = (int) Math.floorMod(bucket, (long) bucketOf.length);
      if (bucketOf[slot] == bucket) {
        total += events[slot];
        totalBad += bad[slot];
      }
    }
    return new Counts(total, totalBad);
  }
}
