package dev.sqsworker.core.resilience.internal;

import dev.sqsworker.core.internal.support.Causes;
import dev.sqsworker.core.resilience.DownstreamConfig;
import dev.sqsworker.core.resilience.DownstreamRateLimitedException;
import io.github.bucket4j.BlockingStrategy;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.TimeMeter;
import io.github.bucket4j.distributed.BucketProxy;
import io.github.bucket4j.distributed.proxy.ProxyManager;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One downstream's global rate limit: a Bucket4j token bucket in PostgreSQL shared by every task,
 * shaped by {@link GlobalRateShape}.
 *
 * <p>The database does not see one statement per call: a task takes a batch of permits in one
 * reservation (Bucket4j reserves them at once and says how long to wait until they exist) and hands
 * them out locally; only one thread of a task goes to the database at a time, the others wait for
 * its batch. Permits not used within the shape's hold are dropped, so the bound on every window
 * holds. When no batch can be had within {@link DownstreamConfig#maxWait()} the call is refused
 * with {@link DownstreamRateLimitedException} (the message is parked).
 *
 * <p>When the database cannot be reached the task falls back to a local bucket holding {@link
 * DownstreamConfig#globalRateFallback()} of the limit, says so in {@link #fallbackReason()}, and a
 * probe on its own thread tries the database again every {@link #PROBE_INTERVAL}.
 */
final class GlobalRateLimit {

  /** How often the database is tried again while falling back. */
  static final Duration PROBE_INTERVAL = Duration.ofSeconds(2);

  private static final Logger LOG = LoggerFactory.getLogger(GlobalRateLimit.class);

  private final String name;
  private final GlobalRateShape shape;
  private final Duration maxWait;
  private final Duration period;
  private final BucketProxy bucket;
  private final Runnable ensureSchema;
  private final Bucket fallback;
  private final int fallbackShare;
  private final LongSupplier nanos;
  private final Executor probes;
  private final ReentrantLock refill = new ReentrantLock();
  private final AtomicBoolean probing = new AtomicBoolean();
  private final AtomicLong reservations = new AtomicLong();

  // Guarded by this.
  private int held;
  private long heldUntil;

  private volatile String fallbackReason;
  private volatile long nextProbe;

  /**
   * Creates the limit.
   *
   * @param key the bucket's row: the downstream and its limit, so a changed limit starts afresh
   * @param buckets Bucket4j's PostgreSQL proxy manager
   * @param ensureSchema creates the buckets' table when it is missing; throws while the database is
   *     unreachable
   * @param nanos monotonic time
   * @param probes runs the probe while falling back
   */
  GlobalRateLimit(
      String name,
      DownstreamConfig config,
      ProxyManager<String> buckets,
      Runnable ensureSchema,
      LongSupplier nanos,
      Executor probes) {
    this.name = name;
    this.period = config.globalRatePeriod();
    this.shape = GlobalRateShape.of(config.globalRateLimit(), period);
    this.maxWait = config.maxWait();
    this.ensureSchema = ensureSchema;
    this.nanos = nanos;
    this.probes = probes;
    var configuration =
        io.github.bucket4j.BucketConfiguration.builder()
            .addLimit(
                limit ->
                    limit
                        .capacity(shape.capacity())
                        .refillGreedy(shape.refillTokens(), shape.refillPeriod()))
            .build();
    this.bucket = buckets.builder().build(key(name, config), () -> configuration);
    this.fallbackShare =
        Math.max(2, (int) Math.floor(config.globalRateLimit() * config.globalRateFallback()));
    GlobalRateShape local = GlobalRateShape.of(fallbackShare, period);
    this.fallback =
        Bucket.builder()
            .addLimit(
                limit ->
                    limit
                        .capacity(local.capacity())
                        .refillGreedy(local.refillTokens(), local.refillPeriod()))
            .withCustomTimePrecision(new Nanos(nanos))
            .build();
  }

  /** The bucket's row: downstream name and limit. */
  static String key(String name, DownstreamConfig config) {
    return name
        + ":"
        + config.globalRateLimit()
        + "/"
        + config.globalRatePeriod().toMillis()
        + "ms";
  }

  /**
   * Takes one permit, waiting up to {@link DownstreamConfig#maxWait()}.
   *
   * @throws DownstreamRateLimitedException if none could be had in time
   */
  void acquire() throws InterruptedException {
    long deadline = nanos.getAsLong() + maxWait.toNanos();
    if (takeHeld()) {
      return;
    }
    if (!refill.tryLock(maxWait.toNanos(), TimeUnit.NANOSECONDS)) {
      throw denied();
    }
    try {
      // Another thread may have brought a batch while this one waited for the lock.
      if (takeHeld()) {
        return;
      }
      long remaining = Math.max(0, deadline - nanos.getAsLong());
      if (fallbackReason != null) {
        probeLater();
        takeLocal(remaining);
        return;
      }
      boolean reserved;
      try {
        ensureSchema.run();
        reservations.incrementAndGet();
        reserved = consume(bucket, shape.capacity(), remaining);
      } catch (RuntimeException e) {
        fallBack(e);
        takeLocal(Math.max(0, deadline - nanos.getAsLong()));
        return;
      }
      if (!reserved) {
        throw denied();
      }
      synchronized (this) {
        held = shape.capacity() - 1;
        heldUntil = nanos.getAsLong() + shape.hold().toNanos();
      }
    } finally {
      refill.unlock();
    }
  }

  private synchronized boolean takeHeld() {
    if (held > 0 && nanos.getAsLong() - heldUntil < 0) {
      held--;
      return true;
    }
    held = 0;
    return false;
  }

  private void takeLocal(long waitNanos) throws InterruptedException {
    if (!consume(fallback, 1, waitNanos)) {
      throw denied();
    }
  }

  /**
   * Takes tokens, waiting up to {@code waitNanos} for them. A wait already spent (the lock or the
   * schema check took it) still takes tokens that are there now: Bucket4j's blocking consume
   * refuses a wait that is not positive.
   */
  private static boolean consume(Bucket bucket, long tokens, long waitNanos)
      throws InterruptedException {
    return waitNanos > 0
        ? bucket.asBlocking().tryConsume(tokens, waitNanos, PARK)
        : bucket.tryConsume(tokens);
  }

  private DownstreamRateLimitedException denied() {
    return new DownstreamRateLimitedException(name, period);
  }

  private void fallBack(RuntimeException e) {
    String reason = "the database is unreachable: " + Causes.rootMessage(e);
    if (fallbackReason == null) {
      LOG.warn(
          "Global rate limit of downstream '{}' falls back to this task's share ({} of {} per {}):"
              + " {}",
          name,
          fallbackShare,
          shape.capacity() + shape.refillTokens(),
          period,
          reason,
          e);
    }
    fallbackReason = reason;
    nextProbe = nanos.getAsLong() + PROBE_INTERVAL.toNanos();
  }

  /** Tries the database on the probe thread, at most once per {@link #PROBE_INTERVAL}. */
  private void probeLater() {
    if (nanos.getAsLong() - nextProbe < 0 || !probing.compareAndSet(false, true)) {
      return;
    }
    try {
      probes.execute(this::probe);
    } catch (RejectedExecutionException e) {
      probing.set(false);
    }
  }

  private void probe() {
    try {
      ensureSchema.run();
      reservations.incrementAndGet();
      bucket.getAvailableTokens();
      fallbackReason = null;
      LOG.info("Global rate limit of downstream '{}' uses the shared bucket again", name);
    } catch (RuntimeException e) {
      fallbackReason = "the database is unreachable: " + Causes.rootMessage(e);
      LOG.debug("Global rate limit probe of downstream '{}' failed", name, e);
    } finally {
      nextProbe = nanos.getAsLong() + PROBE_INTERVAL.toNanos();
      probing.set(false);
    }
  }

  /** Why the limit runs on this task's share alone, or empty while the shared bucket is used. */
  Optional<String> fallbackReason() {
    return Optional.ofNullable(fallbackReason);
  }

  /** Requests to the database so far (each one transaction of a few statements). */
  long reservations() {
    return reservations.get();
  }

  /** The shape of the shared bucket. */
  GlobalRateShape shape() {
    return shape;
  }

  private static final BlockingStrategy PARK = BlockingStrategy.PARKING;

  /** Bucket4j's view of the injected monotonic time. */
  private record Nanos(LongSupplier nanos) implements TimeMeter {
    @Override
    public long currentTimeNanos() {
      return nanos.getAsLong();
    }

    @Override
    public boolean isWallClockBased() {
      return false;
    }
  }
}
