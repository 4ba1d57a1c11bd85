package dev.sqsworker.core.internal.admit;

import dev.sqsworker.core.idempotency.IdempotencyStore;
import dev.sqsworker.core.internal.support.Causes;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether the idempotency store answers. A failure that means "store unreachable" marks it
 * unavailable (polling pauses); a probe every second clears the mark once it answers again.
 */
final class StoreHealth {

  private static final Logger LOG = LoggerFactory.getLogger(StoreHealth.class);

  private final IdempotencyStore store;
  private final String queueUrl;
  private final AtomicReference<String> unavailable = new AtomicReference<>();

  StoreHealth(IdempotencyStore store, String queueUrl) {
    this.store = store;
    this.queueUrl = queueUrl;
  }

  void start(ScheduledExecutorService scheduler) {
    scheduler.scheduleWithFixedDelay(this::probe, 1, 1, TimeUnit.SECONDS);
  }

  /** Why the store cannot be used now, or null. */
  String unavailableReason() {
    return unavailable.get();
  }

  void markUnavailable(Throwable cause) {
    String reason = "idempotency store unavailable: " + Causes.rootMessage(cause);
    if (unavailable.getAndSet(reason) == null) {
      LOG.warn("Idempotency store unavailable; pausing {}: {}", queueUrl, reason);
    }
  }

  private void probe() {
    if (unavailable.get() == null) {
      return;
    }
    try {
      if (store.isAvailable()) {
        LOG.info("Idempotency store answers again; resuming {}", queueUrl);
        unavailable.set(null);
      }
    } catch (RuntimeException e) {
      LOG.debug("Idempotency store probe failed", e);
    }
  }
}
