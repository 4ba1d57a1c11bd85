package dev.sqsworker.core.internal.settle;

import dev.sqsworker.core.BackoffPolicy;
import dev.sqsworker.core.FailureKind;
import dev.sqsworker.core.FailureReason;
import dev.sqsworker.core.NonRetryableException;
import dev.sqsworker.core.WorkerConfig;
import dev.sqsworker.core.idempotency.IdempotencyStoreException;
import dev.sqsworker.core.internal.admit.ClaimState;
import dev.sqsworker.core.internal.message.InFlightMessage;
import dev.sqsworker.core.internal.support.Causes;
import dev.sqsworker.core.internal.support.SqlFailures;
import dev.sqsworker.core.resilience.DownstreamUnavailableException;
import dev.sqsworker.core.resilience.HttpStatusException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;

/**
 * The one place that decides what becomes of a message: a pure function of what happened, the
 * attempt, the claim state and the time (plus the worker's fixed options). It does no I/O and reads
 * no clock, so every branch is unit-tested without servers or waiting.
 */
public final class SettlementPolicy {

  /**
   * How long a message waits when the idempotency store is down. Short: polling is paused while the
   * store is down, so nothing receives it again before the probe (every second) sees the store
   * answer; a long wait only delays the restart (it was 5 s: work resumed ~5 s after the store).
   */
  static final int STORE_DOWN_DELAY_SECONDS = 1;

  /** The shortest wait before a dead letter that could not be sent is tried again. */
  static final int MIN_UNDELIVERED_BACKOFF_SECONDS = 2;

  private final int maxAttempts;
  private final BackoffPolicy backoff;
  private final List<Class<? extends Throwable>> nonRetryable;
  private final String queueUrl;
  private final String workerId;

  /** A policy with a worker's options. */
  public SettlementPolicy(
      int maxAttempts,
      BackoffPolicy backoff,
      List<Class<? extends Throwable>> nonRetryable,
      String queueUrl,
      String workerId) {
    this.maxAttempts = maxAttempts;
    this.backoff = backoff;
    this.nonRetryable = List.copyOf(nonRetryable);
    this.queueUrl = queueUrl;
    this.workerId = workerId;
  }

  /** The policy of a worker's configuration. */
  public static SettlementPolicy of(WorkerConfig config) {
    return new SettlementPolicy(
        config.maxAttempts(),
        config.backoff(),
        config.nonRetryableExceptions(),
        config.queueUrl(),
        config.workerId());
  }

  /**
   * Decides.
   *
   * @param happened what happened so far
   * @param m the message (its receipt time, receive attributes and cancellation are read, nothing
   *     else)
   * @param attempt the attempt this is (or would be) if it runs
   * @param claim where its idempotency claim stands
   * @param now the current time
   */
  public Settlement decide(
      Happened happened, InFlightMessage m, int attempt, ClaimState claim, Instant now) {
    if (happened instanceof Happened.NotStarted notStarted) {
      return new Settlement.PutBack(0, notStarted.why());
    }
    if (happened instanceof Happened.Undecodable undecodable) {
      return deadLetter(m, FailureKind.DECODE, undecodable.error(), m.receiveCount(), now);
    }
    if (happened instanceof Happened.BadKey badKey) {
      return deadLetter(m, FailureKind.KEY, badKey.error(), m.receiveCount(), now);
    }
    if (happened instanceof Happened.StoreUnavailable) {
      return storeDown();
    }
    if (happened instanceof Happened.Admitted) {
      return admitted(m, attempt, claim, now);
    }
    if (happened instanceof Happened.Succeeded succeeded) {
      return new Settlement.Delete(false, succeeded.completed());
    }
    if (happened instanceof Happened.ClaimLost) {
      return new Settlement.PutBack(0, "its idempotency claim was taken over while it ran");
    }
    if (happened instanceof Happened.RolledBack rolledBack) {
      return new Settlement.PutBack(0, rolledBack.why());
    }
    Happened.Failed failed = (Happened.Failed) happened;
    return failed(m, attempt, failed, now);
  }

  private Settlement admitted(InFlightMessage m, int attempt, ClaimState claim, Instant now) {
    switch (claim.kind()) {
      case UNCLAIMED:
        return storeDown();
      case COMPLETED:
        return new Settlement.Delete(true, true);
      case BUSY:
        return new Settlement.PutBack(
            busyDelaySeconds(now, claim.leaseUntil()), "its key is held by a live claim");
      case KEY_REUSED:
        return deadLetter(
            m,
            FailureKind.IDEMPOTENCY_KEY_REUSED,
            new NonRetryableException(
                "idempotency key '" + claim.key() + "' was used before with a different payload"),
            m.receiveCount(),
            now);
      default:
        break;
    }
    if (attempt > maxAttempts) {
      // A previous attempt failed to dead-letter it, or it came back after a crash.
      return deadLetter(m, FailureKind.EXHAUSTED, null, attempt - 1, now);
    }
    return new Settlement.Run(attempt);
  }

  private Settlement failed(InFlightMessage m, int attempt, Happened.Failed failed, Instant now) {
    Throwable error = failed.error();
    DownstreamUnavailableException unavailable =
        Causes.find(error, DownstreamUnavailableException.class);
    if (unavailable != null) {
      // The downstream is known to be down: not the message's fault, so no attempt is used.
      int seconds = Math.max(1, visibilitySeconds(m, unavailable.retryIn(), now));
      return new Settlement.Park(seconds, unavailable.downstream(), unavailable.getMessage());
    }
    if (failed.cancelledByShutdown()) {
      return new Settlement.PutBack(0, "the worker is shutting down");
    }
    if (m.cancelled() && Causes.find(m.cancelReason(), IdempotencyStoreException.class) != null) {
      // Stopped because the store could not keep its lease: the store's failure, not an attempt.
      return storeDown();
    }
    SqlFailures.Meaning meaning =
        failed.inStoreTransaction() ? SqlFailures.classify(error) : SqlFailures.Meaning.OTHER;
    if (meaning == SqlFailures.Meaning.UNAVAILABLE) {
      return storeDown();
    }
    if (meaning == SqlFailures.Meaning.CONSTRAINT || isNonRetryable(error)) {
      return deadLetter(m, FailureKind.NON_RETRYABLE, error, attempt, now).afterRun();
    }
    if (attempt >= maxAttempts) {
      return deadLetter(m, FailureKind.EXHAUSTED, error, attempt, now).afterRun();
    }
    Duration delay = backoff.delay(attempt);
    HttpStatusException http = Causes.find(error, HttpStatusException.class);
    if (http != null && http.retryAfter().isPresent()) {
      // The server said when to come back: not sooner than that.
      Duration retryAfter = http.retryAfter().get();
      delay = retryAfter.compareTo(delay) > 0 ? retryAfter : delay;
    }
    return new Settlement.Retry(visibilitySeconds(m, delay, now), attempt, error);
  }

  private static Settlement storeDown() {
    return new Settlement.PutBack(STORE_DOWN_DELAY_SECONDS, "the idempotency store is unavailable");
  }

  private boolean isNonRetryable(Throwable failure) {
    if (failure instanceof NonRetryableException) {
      return true;
    }
    for (Class<? extends Throwable> type : nonRetryable) {
      if (type.isInstance(failure)) {
        return true;
      }
    }
    return false;
  }

  /**
   * How long a dead letter that could not be sent waits before it is tried again: the backoff after
   * its attempts, at least {@link #MIN_UNDELIVERED_BACKOFF_SECONDS} (a DLQ that refuses it now will
   * not take it a moment later either).
   */
  public int undeliveredBackoffSeconds(int attempts) {
    return (int)
        Math.max(MIN_UNDELIVERED_BACKOFF_SECONDS, backoff.delay(Math.max(1, attempts)).toSeconds());
  }

  /** A delay in whole seconds, rounded up, within what SQS allows for this message. */
  static int visibilitySeconds(InFlightMessage m, Duration delay, Instant now) {
    // SQS keeps a message invisible at most 12 h after it was received.
    Duration left =
        WorkerConfig.SQS_MAX_VISIBILITY
            .minus(Duration.between(m.receivedAt(), now))
            .minusSeconds(1);
    if (delay.compareTo(left) > 0) {
      delay = left.isNegative() ? Duration.ZERO : left;
    }
    return (int) ((delay.toMillis() + 999) / 1000);
  }

  /**
   * How long a message whose key is busy stays invisible: a third of the lease that is left (the
   * holder often completes early, which ends the lease), at least 2 s, and never past the lease's
   * end plus a second. Few receives are spent this way, and none counts as an attempt.
   */
  static int busyDelaySeconds(Instant now, Instant leaseUntil) {
    if (leaseUntil == null) {
      return 2;
    }
    long remaining = Math.max(0, (Duration.between(now, leaseUntil).toMillis() + 999) / 1000);
    long delay = Math.min(remaining + 1, Math.max(2, remaining / 3));
    return (int) Math.min(WorkerConfig.SQS_MAX_VISIBILITY.toSeconds() - 1, delay);
  }

  private Settlement.DeadLetter deadLetter(
      InFlightMessage m, FailureKind kind, Throwable error, int attempts, Instant now) {
    FailureReason reason =
        new FailureReason(
            kind,
            queueUrl,
            error == null ? null : error.getClass().getName(),
            error == null ? "no attempts left" : String.valueOf(error.getMessage()),
            error == null ? ErrorFingerprint.of(kind.name()) : ErrorFingerprint.of(error),
            attempts,
            firstFailure(m, now, attempts),
            now,
            workerId,
            error == null ? null : FailureReason.stackTraceOf(error));
    return new Settlement.DeadLetter(reason, false, error);
  }

  private static Instant firstFailure(InFlightMessage m, Instant now, int attempts) {
    if (attempts <= 1) {
      return now;
    }
    String first =
        m.systemAttribute(MessageSystemAttributeName.APPROXIMATE_FIRST_RECEIVE_TIMESTAMP);
    return first == null ? now : Instant.ofEpochMilli(Long.parseLong(first));
  }
}
