package dev.sqsworker.app.internal;

import dev.sqsworker.app.internal.ScaleInProtectionPolicy.Action;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the task protected from ECS scale-in while messages are in flight: every tick it reads the
 * in-flight count, asks the {@link ScaleInProtectionPolicy} what to do and tells the agent.
 */
public final class ScaleInProtection implements AutoCloseable {

  /** Defaults: 10 min protection renewed 2 min early, released after 30 s idle. */
  public static final Duration PROTECT_FOR = Duration.ofMinutes(10);

  /** How early a busy task renews. */
  public static final Duration RENEW_BEFORE = Duration.ofMinutes(2);

  /** How long a task stays idle before it releases protection. */
  public static final Duration IDLE_DEBOUNCE = Duration.ofSeconds(30);

  /** The wait after a failed request. */
  public static final Duration RETRY_DELAY = Duration.ofSeconds(15);

  /** How often the in-flight count is read. */
  public static final Duration TICK = Duration.ofSeconds(1);

  private static final Logger LOG = LoggerFactory.getLogger(ScaleInProtection.class);

  private final EcsTaskProtectionClient agent;
  private final ScaleInProtectionPolicy policy;
  private final IntSupplier inFlight;
  private final Clock clock;
  private final Duration tick;
  private ScheduledExecutorService scheduler;

  /**
   * Creates the loop (not started).
   *
   * @param agent the agent's endpoint
   * @param policy when to protect and release
   * @param inFlight the messages in flight across the application's workers
   * @param clock the wall clock
   * @param tick how often to look
   */
  public ScaleInProtection(
      EcsTaskProtectionClient agent,
      ScaleInProtectionPolicy policy,
      IntSupplier inFlight,
      Clock clock,
      Duration tick) {
    this.agent = agent;
    this.policy = policy;
    this.inFlight = inFlight;
    this.clock = clock;
    this.tick = tick;
  }

  /** Starts looking every tick on a named daemon thread. */
  public synchronized void start() {
    scheduler =
        Executors.newSingleThreadScheduledExecutor(
            NamedThreads.daemon("sqsworker-scale-in-protection"));
    scheduler.scheduleWithFixedDelay(this::tickSafely, 0, tick.toMillis(), TimeUnit.MILLISECONDS);
    LOG.info("Scale-in protection on through {}", agent.stateUri());
  }

  /** One look: protect, renew, release or nothing. */
  public synchronized void tick() {
    var now = clock.instant();
    apply(policy.decide(now, inFlight.getAsInt()));
  }

  private void tickSafely() {
    try {
      tick();
    } catch (RuntimeException e) {
      LOG.warn("Scale-in protection check failed; trying again", e);
    }
  }

  private void apply(Action action) {
    var now = clock.instant();
    try {
      switch (action) {
        case PROTECT -> {
          agent.protect(policy.protectFor().toMinutes());
          policy.protectionSet(now);
          LOG.info("Task protected from scale-in for {}", policy.protectFor());
        }
        case UNPROTECT -> {
          agent.unprotect();
          policy.protectionCleared();
          LOG.info("Task scale-in protection released");
        }
        case NONE -> {}
      }
    } catch (IOException e) {
      // The retry delay counts from the failure, not from the request (which may have hung).
      policy.requestFailed(clock.instant());
      LOG.warn("Could not change scale-in protection ({}): {}", action, e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Stops looking and releases protection at once (call after the workers have drained). */
  @Override
  public void close() {
    ScheduledExecutorService running;
    synchronized (this) {
      running = scheduler;
      scheduler = null;
    }
    if (running != null) {
      running.shutdownNow();
      try {
        if (!running.awaitTermination(10, TimeUnit.SECONDS)) {
          LOG.warn("Scale-in protection thread did not stop within 10s");
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    synchronized (this) {
      apply(policy.decideOnStop(clock.instant()));
    }
  }
}
