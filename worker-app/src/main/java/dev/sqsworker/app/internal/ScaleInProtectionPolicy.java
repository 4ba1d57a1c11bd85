package dev.sqsworker.app.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * Decides when a task asks for ECS scale-in protection and when it gives it up, from the number of
 * messages in flight over time. Pure logic: every method takes the current time, and nothing here
 * talks to the agent.
 *
 * <ul>
 *   <li>Busy (a message in flight) and unprotected: protect for {@link #protectFor()}.
 *   <li>Busy and protected: renew when the protection ends within {@link #renewBefore()}.
 *   <li>Idle and protected: release once idle for {@link #idleDebounce()} without a break, so a
 *       steady trickle of short messages does not flip the protection on every poll.
 *   <li>A failed request is not retried before {@link #retryDelay()} has passed.
 * </ul>
 *
 * <p>Not thread-safe: one loop drives it.
 */
public final class ScaleInProtectionPolicy {

  /** What the caller should ask the agent for. */
  public enum Action {
    /** Nothing to do now. */
    NONE,
    /** Set protection for {@link #protectFor()} (new or renewed). */
    PROTECT,
    /** Remove protection. */
    UNPROTECT
  }

  private final Duration protectFor;
  private final Duration renewBefore;
  private final Duration idleDebounce;
  private final Duration retryDelay;
  private Instant protectedUntil;
  private Instant idleSince;
  private Instant retryAfter = Instant.MIN;

  /**
   * Creates the policy.
   *
   * @param protectFor how long each protection request lasts (ECS counts whole minutes, 1 to 2880)
   * @param renewBefore how long before the end a busy task renews
   * @param idleDebounce how long a task must stay idle before it releases protection
   * @param retryDelay the wait after a failed request
   */
  public ScaleInProtectionPolicy(
      Duration protectFor, Duration renewBefore, Duration idleDebounce, Duration retryDelay) {
    this.protectFor = Objects.requireNonNull(protectFor, "protectFor");
    this.renewBefore = Objects.requireNonNull(renewBefore, "renewBefore");
    this.idleDebounce = Objects.requireNonNull(idleDebounce, "idleDebounce");
    this.retryDelay = Objects.requireNonNull(retryDelay, "retryDelay");
    if (protectFor.toMinutes() < 1
        || protectFor.toMinutes() > 2880
        || protectFor.toSeconds() % 60 != 0) {
      throw new IllegalArgumentException(
          "protectFor must be whole minutes between 1 and 2880, was " + protectFor);
    }
    if (renewBefore.isNegative() || renewBefore.compareTo(protectFor) >= 0) {
      throw new IllegalArgumentException(
          "renewBefore must be at least 0 and shorter than protectFor, was " + renewBefore);
    }
  }

  /** How long each protection request lasts. */
  public Duration protectFor() {
    return protectFor;
  }

  /** How long before the end a busy task renews. */
  public Duration renewBefore() {
    return renewBefore;
  }

  /** How long a task stays idle before it releases protection. */
  public Duration idleDebounce() {
    return idleDebounce;
  }

  /** The wait after a failed request. */
  public Duration retryDelay() {
    return retryDelay;
  }

  /** Whether the task is protected as far as this policy knows, at {@code now}. */
  public boolean isProtected(Instant now) {
    return protectedUntil != null && now.isBefore(protectedUntil);
  }

  /**
   * What to do now, given the messages in flight now.
   *
   * @param now the current time
   * @param inFlight messages being handled
   */
  public Action decide(Instant now, int inFlight) {
    if (protectedUntil != null && !now.isBefore(protectedUntil)) {
      // Expired on the agent's side too: nothing to release.
      protectedUntil = null;
    }
    if (inFlight > 0) {
      idleSince = null;
      if (now.isBefore(retryAfter)) {
        return Action.NONE;
      }
      if (protectedUntil == null || !now.isBefore(protectedUntil.minus(renewBefore))) {
        return Action.PROTECT;
      }
      return Action.NONE;
    }
    if (protectedUntil == null) {
      idleSince = null;
      return Action.NONE;
    }
    if (idleSince == null) {
      idleSince = now;
    }
    if (now.isBefore(retryAfter) || now.isBefore(idleSince.plus(idleDebounce))) {
      return Action.NONE;
    }
    return Action.UNPROTECT;
  }

  /**
   * What to do when the application stops after draining: release any protection at once so a
   * deployment need not wait for it to expire.
   */
  public Action decideOnStop(Instant now) {
    return isProtected(now) ? Action.UNPROTECT : Action.NONE;
  }

  /** Records that protection was granted at {@code requestedAt}. */
  public void protectionSet(Instant requestedAt) {
    // Counted from when it was requested: the agent's clock started no earlier than that.
    protectedUntil = requestedAt.plus(protectFor);
    retryAfter = Instant.MIN;
  }

  /** Records that protection was removed. */
  public void protectionCleared() {
    protectedUntil = null;
    idleSince = null;
    retryAfter = Instant.MIN;
  }

  /** Records that a request failed at {@code now}; the next one waits {@link #retryDelay()}. */
  public void requestFailed(Instant now) {
    retryAfter = now.plus(retryDelay);
  }
}
