package dev.sqsworker.core.internal.receive;

import java.util.function.LongConsumer;
import java.util.function.LongSupplier;

/**
 * Turns the pause reasons that pollers see into paused periods: a period starts when a reason first
 * appears and is reported, in nanoseconds, when no reason is left. Thread-safe.
 */
public final class PauseTracker {

  private final LongSupplier nanos;
  private final LongConsumer periodEnded;
  private long pausedSince = -1;

  /**
   * Creates a tracker.
   *
   * @param nanos the monotonic time source ({@code System::nanoTime})
   * @param periodEnded told the length of each paused period when it ends, in nanoseconds
   */
  public PauseTracker(LongSupplier nanos, LongConsumer periodEnded) {
    this.nanos = nanos;
    this.periodEnded = periodEnded;
  }

  /** Records what pauses polling now ({@code null}: nothing) and returns it unchanged. */
  public synchronized String observe(String reason) {
    long now = nanos.getAsLong();
    if (reason != null && pausedSince < 0) {
      pausedSince = now;
    } else if (reason == null && pausedSince >= 0) {
      periodEnded.accept(now - pausedSince);
      pausedSince = -1;
    }
    return reason;
  }
}
