package dev.sqsworker.core.internal.visibility;

import dev.sqsworker.core.VisibilityLostException;
import dev.sqsworker.core.idempotency.IdempotencyStoreException;
import dev.sqsworker.core.internal.admit.IdempotencyGate;
import dev.sqsworker.core.internal.message.InFlightMessage;
import dev.sqsworker.core.internal.settle.SqsActions;
import dev.sqsworker.core.internal.support.WorkerMetrics;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps in-flight messages invisible while their handlers run: every tick it extends the messages
 * whose visibility ends soon (the SDK batches the extensions ten per request) and cancels handlers
 * that passed their handling deadline or whose extension failed. The SQS extensions go out first
 * and never wait on the database: the idempotency leases are extended afterwards on the store's own
 * thread, and a tick skips them while the previous lease statement is still running.
 *
 * <p>Leases follow what the store last confirmed, not the SQS extensions: a lease is extended when
 * less than {@value #EXTEND_LEASE_TICKS} ticks of it are left, and a handler whose lease has less
 * than {@value #CANCEL_LEASE_TICKS} ticks left (its extension failed or never returned) is
 * cancelled while the lease still runs, before another worker can take the key.
 */
public final class VisibilityHeartbeat {

  private static final Logger LOG = LoggerFactory.getLogger(VisibilityHeartbeat.class);

  /** A lease with less than this many tick intervals left is extended. */
  static final double EXTEND_LEASE_TICKS = 2.5;

  /** A lease with less than this many tick intervals left was not extended in time. */
  static final double CANCEL_LEASE_TICKS = 1.5;

  private final Collection<InFlightMessage> inFlight;
  private final SqsActions actions;
  private final Clock clock;
  private final Duration visibilityTimeout;
  private final WorkerMetrics metrics;
  private final String queueUrl;
  private final IdempotencyGate gate;
  private final Executor leaseExecutor;
  private final AtomicBoolean extendingLeases = new AtomicBoolean();
  private ScheduledFuture<?> task;

  /** Creates the heartbeat over a live view of the in-flight messages. */
  public VisibilityHeartbeat(
      Collection<InFlightMessage> inFlight,
      SqsActions actions,
      Clock clock,
      Duration visibilityTimeout,
      WorkerMetrics metrics,
      String queueUrl,
      IdempotencyGate gate,
      Executor leaseExecutor) {
    this.gate = gate;
    this.leaseExecutor = leaseExecutor;
    this.inFlight = inFlight;
    this.actions = actions;
    this.clock = clock;
    this.visibilityTimeout = visibilityTimeout;
    this.metrics = metrics;
    this.queueUrl = queueUrl;
  }

  /** Starts ticking on the scheduler. */
  public void start(ScheduledExecutorService scheduler) {
    long interval = HeartbeatPlan.tickInterval(visibilityTimeout).toMillis();
    task =
        scheduler.scheduleWithFixedDelay(this::safeTick, interval, interval, TimeUnit.MILLISECONDS);
  }

  /** Stops ticking. */
  public void stop() {
    if (task != null) {
      task.cancel(false);
    }
  }

  private void safeTick() {
    try {
      tick();
    } catch (RuntimeException e) {
      LOG.error("Visibility heartbeat tick failed on {}", queueUrl, e);
    }
  }

  /**
   * Extends the idempotency leases of the messages being extended, in one statement, and cancels
   * the handlers whose claim was lost (another worker took the key over).
   */
  private void extendLeases(Instant now) {
    Duration tick = HeartbeatPlan.tickInterval(visibilityTimeout);
    for (InFlightMessage m :
        gate.leasesEndingBefore(inFlight, now.plus(ticks(tick, CANCEL_LEASE_TICKS)))) {
      if (!m.handedOff()
          && m.cancel(
              new VisibilityLostException(
                  queueUrl,
                  m.messageId(),
                  "its idempotency lease could not be extended",
                  new IdempotencyStoreException(
                      "the lease of key '"
                          + m.idempotencyKey()
                          + "' was not extended before its end",
                      null)))) {
        LOG.warn(
            "The idempotency lease of message {} on {} could not be extended; cancelling its"
                + " handler before the lease ends",
            m.messageId(),
            queueUrl);
      }
    }
    List<InFlightMessage> messages =
        gate.leasesEndingBefore(inFlight, now.plus(ticks(tick, EXTEND_LEASE_TICKS))).stream()
            .filter(m -> !m.cancelled() && !m.handedOff())
            .toList();
    if (messages.isEmpty() || !extendingLeases.compareAndSet(false, true)) {
      return;
    }
    Instant leaseUntil = now.plus(visibilityTimeout);
    try {
      leaseExecutor.execute(
          () -> {
            try {
              extendLeases(messages, leaseUntil);
            } catch (RuntimeException e) {
              LOG.error("Lease extension failed on {}", queueUrl, e);
            } finally {
              extendingLeases.set(false);
            }
          });
    } catch (RejectedExecutionException e) {
      extendingLeases.set(false);
    }
  }

  private void extendLeases(List<InFlightMessage> messages, Instant leaseUntil) {
    for (InFlightMessage lost : gate.extend(messages, leaseUntil)) {
      if (lost.cancel(
          new VisibilityLostException(
              queueUrl, lost.messageId(), "its idempotency lease was taken over", null))) {
        LOG.warn(
            "Message {} on {} lost its idempotency lease; cancelling its handler",
            lost.messageId(),
            queueUrl);
      }
    }
  }

  /** One tick: extend what runs out soon, cancel what is past its deadline. */
  void tick() {
    Instant now = clock.instant();
    HeartbeatPlan plan =
        HeartbeatPlan.plan(
            inFlight, now, visibilityTimeout, HeartbeatPlan.extendWhenRemaining(visibilityTimeout));
    for (InFlightMessage m : plan.expired()) {
      if (m.cancel(
          new VisibilityLostException(
              queueUrl, m.messageId(), "the maximum handling time passed", null))) {
        LOG.warn(
            "Message {} on {} passed its maximum handling time; cancelling its handler",
            m.messageId(),
            queueUrl);
      }
    }
    for (HeartbeatPlan.Extension extension : plan.extensions()) {
      InFlightMessage m = extension.message();
      m.extending(true);
      actions
          .changeVisibility(m.message(), extension.timeoutSeconds())
          .whenComplete(
              (ok, error) -> {
                m.extending(false);
                if (error == null) {
                  m.extended(now.plusSeconds(extension.timeoutSeconds()));
                  metrics.extensions.increment();
                } else {
                  metrics.extensionFailures.increment();
                  if (m.cancel(
                      new VisibilityLostException(
                          queueUrl, m.messageId(), "the extension failed", error))) {
                    LOG.warn(
                        "Could not extend the visibility of message {} on {}; cancelling its handler",
                        m.messageId(),
                        queueUrl,
                        error);
                  }
                }
              });
    }
    extendLeases(now);
  }

  private static Duration ticks(Duration tick, double count) {
    return Duration.ofMillis((long) (tick.toMillis() * count));
  }
}
