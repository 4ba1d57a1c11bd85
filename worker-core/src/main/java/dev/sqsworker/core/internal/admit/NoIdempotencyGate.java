package dev.sqsworker.core.internal.admit;

import dev.sqsworker.core.internal.message.InFlightMessage;
import java.sql.Connection;
import java.time.Instant;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import javax.sql.DataSource;

/**
 * The gate without idempotency: nothing is claimed, so there is nothing to complete or release. It
 * remembers how often the handler ran on each message id (at most {@code remembered} ids, least
 * recently used forgotten first), so that a message put back unrun (a FIFO group behind a failing
 * head, shutdown, an open breaker) does not use an attempt as SQS's receive count would. What it
 * forgets, and everything on a restart or on another worker, counts from 1 again: SQS's
 * RedrivePolicy stays the backstop for a message that fails everywhere.
 */
final class NoIdempotencyGate implements IdempotencyGate {

  static final int DEFAULT_REMEMBERED = 100_000;

  private final Map<String, Integer> runs;

  NoIdempotencyGate(int remembered) {
    this.runs =
        Collections.synchronizedMap(
            new LinkedHashMap<>(16, 0.75f, true) {
              private static final long serialVersionUID = 1L;

              @Override
              protected boolean removeEldestEntry(Map.Entry<String, Integer> eldest) {
                return size() > remembered;
              }
            });
  }

  @Override
  public void ran(InFlightMessage m) {
    runs.merge(m.messageId(), 1, Integer::sum);
  }

  @Override
  public void start(ScheduledExecutorService scheduler) {}

  @Override
  public void admit(List<InFlightMessage> batch) {}

  @Override
  public ClaimState claimState(InFlightMessage m) {
    Integer ran = runs.get(m.messageId());
    return ClaimState.afterRuns(ran == null ? 0 : ran);
  }

  @Override
  public boolean transactional() {
    return false;
  }

  @Override
  public DataSource dataSource() {
    return null;
  }

  @Override
  public String unavailableReason() {
    return null;
  }

  @Override
  public void markUnavailable(Throwable cause) {}

  @Override
  public CompletableFuture<Boolean> complete(InFlightMessage m) {
    runs.remove(m.messageId());
    return CompletableFuture.completedFuture(true);
  }

  @Override
  public boolean complete(Connection transaction, InFlightMessage m) {
    runs.remove(m.messageId());
    return true;
  }

  @Override
  public void release(InFlightMessage m, boolean attempted, Throwable error) {
    if (!attempted && m.started()) {
      // It ran, but the run does not count (a parked downstream, shutdown): give it back.
      runs.computeIfPresent(m.messageId(), (id, n) -> n > 1 ? n - 1 : null);
    }
  }

  @Override
  public void forget(InFlightMessage m) {
    runs.remove(m.messageId());
  }

  @Override
  public List<InFlightMessage> extend(Collection<InFlightMessage> messages, Instant leaseUntil) {
    return List.of();
  }

  @Override
  public void close() {}
}
