package dev.sqsworker.core.internal.admit;

import dev.sqsworker.core.WorkerConfig;
import dev.sqsworker.core.idempotency.Idempotency;
import dev.sqsworker.core.internal.message.InFlightMessage;
import java.sql.Connection;
import java.time.Clock;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.LongSupplier;
import javax.sql.DataSource;

/**
 * The worker's side of idempotency, as every stage sees it: claims at admission, completion and
 * release at settlement, lease extension, and whether the store answers. Every method that takes a
 * message does nothing for a message without a won claim, so callers never branch on whether
 * idempotency is configured: without it, {@link #none()} stands in.
 */
public interface IdempotencyGate extends AutoCloseable {

  /**
   * The gate of a worker without idempotency: claims nothing, is always available, and counts
   * handler runs per message id in memory (bounded), so that only runs count as attempts.
   */
  static IdempotencyGate none() {
    return new NoIdempotencyGate(NoIdempotencyGate.DEFAULT_REMEMBERED);
  }

  /** The gate of a worker with idempotency, over the configured store. */
  static IdempotencyGate of(
      Idempotency idempotency, WorkerConfig config, Clock clock, LongSupplier nanos) {
    return idempotency == null ? none() : new StoreGate(idempotency, config, clock, nanos);
  }

  /** Starts background work (completion batcher, purge, probe) on the worker's scheduler. */
  void start(ScheduledExecutorService scheduler);

  /**
   * Resolves and checks the keys of a batch's decoded messages and claims the good ones in one
   * statement. A message whose key is unusable gets {@link InFlightMessage#badKey}; when the store
   * fails, the claimed messages stay unclaimed and the gate reports itself unavailable.
   */
  void admit(List<InFlightMessage> batch);

  /** The handler is about to run on this delivery (the attempt is used from now on). */
  void ran(InFlightMessage m);

  /** Where a prepared message's claim stands. */
  ClaimState claimState(InFlightMessage m);

  /** Whether completion shares the handler's transaction. */
  boolean transactional();

  /** The database of the transactional mode, or null. */
  DataSource dataSource();

  /** Why handlers that need the store cannot run now, or null when they can. */
  String unavailableReason();

  /** Marks the store unreachable: polling pauses until the probe sees it answer. */
  void markUnavailable(Throwable cause);

  /**
   * Queues the completion of a message's claim. The future completes once the completion is
   * durable: true, or false if the claim had been taken over (its lease ended) and nothing was
   * written; exceptionally if the write failed.
   */
  CompletableFuture<Boolean> complete(InFlightMessage m);

  /**
   * Marks a message's claim completed in the handler's transaction.
   *
   * @return false if the claim was lost: roll back
   */
  boolean complete(Connection transaction, InFlightMessage m);

  /** Gives a message's claim back; {@code attempted} says whether its attempt counts. */
  void release(InFlightMessage m, boolean attempted, Throwable error);

  /** Deletes a dead-lettered message's record so that a replay runs again. */
  void forget(InFlightMessage m);

  /**
   * Extends the leases of messages in one statement.
   *
   * @return the messages whose claim was lost
   */
  List<InFlightMessage> extend(Collection<InFlightMessage> messages, Instant leaseUntil);

  /**
   * The messages whose lease, as the store last confirmed it, ends before {@code before}: the ones
   * due for an extension, or (closer to the end) the ones whose extension failed or has not
   * returned, whose handlers must stop before another worker can take the key. Reads only what the
   * gate remembers: never waits on the store.
   */
  default List<InFlightMessage> leasesEndingBefore(
      Collection<InFlightMessage> messages, Instant before) {
    return List.of();
  }

  /** Stops background work after writing what is queued. */
  @Override
  void close();
}
