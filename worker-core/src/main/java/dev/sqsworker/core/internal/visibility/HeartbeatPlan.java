package dev.sqsworker.core.internal.visibility;

import dev.sqsworker.core.internal.message.InFlightMessage;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * What one heartbeat tick does: which messages to extend and by how much, and which have reached
 * their handling deadline. A pure function of the in-flight messages and the time, so it is tested
 * without waiting.
 *
 * @param extensions messages whose visibility runs out soon, with their new timeout
 * @param expired messages past their handling deadline, to cancel
 */
public record HeartbeatPlan(List<Extension> extensions, List<InFlightMessage> expired) {

  /**
   * One extension.
   *
   * @param message the message
   * @param timeoutSeconds the new visibility timeout, counted from now
   */
  public record Extension(InFlightMessage message, int timeoutSeconds) {}

  /**
   * Plans a tick.
   *
   * @param inFlight the messages being handled
   * @param now the current time
   * @param visibilityTimeout the timeout each extension grants
   * @param extendWhenRemaining extend a message whose visibility ends within this
   */
  public static HeartbeatPlan plan(
      Collection<InFlightMessage> inFlight,
      Instant now,
      Duration visibilityTimeout,
      Duration extendWhenRemaining) {
    List<Extension> extensions = new ArrayList<>();
    List<InFlightMessage> expired = new ArrayList<>();
    for (InFlightMessage m : inFlight) {
      if (m.cancelled() || m.extending() || m.handedOff()) {
        continue;
      }
      if (!now.isBefore(m.handlingDeadline())) {
        expired.add(m);
        continue;
      }
      Duration remaining = Duration.between(now, m.visibleUntil());
      if (remaining.compareTo(extendWhenRemaining) > 0) {
        continue;
      }
      long untilDeadline = ceilSeconds(Duration.between(now, m.handlingDeadline()));
      long seconds = Math.max(1, Math.min(visibilityTimeout.toSeconds(), untilDeadline));
      extensions.add(new Extension(m, (int) seconds));
    }
    return new HeartbeatPlan(List.copyOf(extensions), List.copyOf(expired));
  }

  /** The tick interval for a visibility timeout: a quarter of it, between 100 ms and 5 s. */
  public static Duration tickInterval(Duration visibilityTimeout) {
    Duration quarter = visibilityTimeout.dividedBy(4);
    Duration max = Duration.ofSeconds(5);
    Duration min = Duration.ofMillis(100);
    return quarter.compareTo(max) > 0 ? max : quarter.compareTo(min) < 0 ? min : quarter;
  }

  /** Extend when less than half the visibility timeout is left. */
  public static Duration extendWhenRemaining(Duration visibilityTimeout) {
    return visibilityTimeout.dividedBy(2);
  }

  private static long ceilSeconds(Duration d) {
    long ms = d.toMillis();
    return (ms + 999) / 1000;
  }
}
