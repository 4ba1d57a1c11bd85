package dev.sqsworker.core.internal.admit;

import dev.sqsworker.core.internal.message.InFlightMessage;
import java.sql.Connection;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import javax.sql.DataSource;

/** The gate without idempotency: nothing is claimed, so there is nothing to complete or release. */
final class NoIdempotencyGate implements IdempotencyGate {

  static final NoIdempotencyGate INSTANCE = new NoIdempotencyGate();

  private NoIdempotencyGate() {}

  @Override
  public void start(ScheduledExecutorService scheduler) {}

  @Override
  public void admit(List<InFlightMessage> batch) {}

  @Override
  public ClaimState claimState(InFlightMessage m) {
    return ClaimState.none();
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
  public CompletableFuture<Void> complete(InFlightMessage m) {
    return CompletableFuture.completedFuture(null);
  }

  @Override
  public boolean complete(Connection transaction, InFlightMessage m) {
    return true;
  }

  @Override
  public void release(InFlightMessage m, boolean attempted, Throwable error) {}

  @Override
  public void forget(InFlightMessage m) {}

  @Override
  public List<InFlightMessage> extend(Collection<InFlightMessage> messages, Instant leaseUntil) {
    return List.of();
  }

  @Override
  public void close() {}
}
