package dev.sqsworker.core.internal;

import dev.sqsworker.core.WorkerConfig;
import dev.sqsworker.core.idempotency.Claim;
import dev.sqsworker.core.idempotency.ClaimRequest;
import dev.sqsworker.core.idempotency.ClaimResult;
import dev.sqsworker.core.idempotency.Idempotency;
import dev.sqsworker.core.idempotency.IdempotencySchema;
import dev.sqsworker.core.idempotency.IdempotencyStore;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;

/**
 * The worker's side of idempotency: finds each message's key, claims a received batch's keys in one
 * statement, batches completions, extends leases with the heartbeat, and tracks whether the store
 * is reachable so polling can pause while it is not.
 */
public final class IdempotencyGate implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(IdempotencyGate.class);
  private static final int COMPLETION_BATCH = 50;
  private static final Duration IN_BATCH_REPEAT_WAIT = Duration.ofSeconds(1);

  private final Idempotency idempotency;
  private final IdempotencyStore store;
  private final WorkerConfig config;
  private final String scope;
  private final Clock clock;
  private final AtomicReference<String> unavailable = new AtomicReference<>();
  private final LinkedBlockingQueue<PendingCompletion> completions = new LinkedBlockingQueue<>();
  private Thread completer;
  private volatile boolean running;

  private record PendingCompletion(Claim claim, CompletableFuture<Void> done) {}

  /** Creates the gate of one worker. */
  public IdempotencyGate(Idempotency idempotency, WorkerConfig config, Clock clock) {
    this.idempotency = idempotency;
    this.store = idempotency.store();
    this.config = config;
    this.scope = idempotency.scope() != null ? idempotency.scope() : config.queueName();
    this.clock = clock;
  }

  /** Migrates the schema if asked, and starts the completion batcher, purge and probe. */
  public void start(ScheduledExecutorService scheduler) {
    if (idempotency.migrateOnStart() && idempotency.dataSource() != null) {
      IdempotencySchema.migrate(idempotency.dataSource());
    }
    running = true;
    completer = new Thread(this::completeLoop, "sqsworker-" + config.queueName() + "-idempotency");
    completer.setDaemon(true);
    completer.start();
    long purge = idempotency.purgeInterval().toMillis();
    scheduler.scheduleWithFixedDelay(this::purge, purge, purge, TimeUnit.MILLISECONDS);
    scheduler.scheduleWithFixedDelay(this::probe, 1, 1, TimeUnit.SECONDS);
  }

  /** The scope keys are recorded under. */
  public String scope() {
    return scope;
  }

  /** Whether completion shares the handler's transaction. */
  public boolean transactional() {
    return idempotency.mode() == dev.sqsworker.core.idempotency.IdempotencyMode.TRANSACTIONAL;
  }

  /** The database of the transactional mode. */
  public javax.sql.DataSource dataSource() {
    return idempotency.dataSource();
  }

  /** Why handlers that need the store cannot run now, or null when they can. */
  public String unavailableReason() {
    return unavailable.get();
  }

  /**
   * Finds the keys of a batch's decoded messages and claims them in one statement. A key that
   * appears twice in the batch is claimed once; the later message is reported busy.
   *
   * @throws dev.sqsworker.core.idempotency.IdempotencyStoreException when the store fails; the gate
   *     then reports itself unavailable until the store answers again
   */
  public void admit(List<InFlightMessage> batch) {
    Instant now = clock.instant();
    Instant leaseUntil = now.plus(config.visibilityTimeout());
    List<ClaimRequest> requests = new ArrayList<>();
    Map<String, InFlightMessage> first = new HashMap<>();
    List<InFlightMessage> repeats = new ArrayList<>();
    for (InFlightMessage m : batch) {
      if (m.decodeFailure() != null) {
        continue;
      }
      String key = keyOf(m);
      m.idempotencyKey(key);
      if (first.putIfAbsent(key, m) != null) {
        repeats.add(m);
        continue;
      }
      requests.add(new ClaimRequest(key, hash(m.message().body()), UUID.randomUUID().toString()));
    }
    if (requests.isEmpty()) {
      return;
    }
    List<ClaimResult> results;
    try {
      results =
          store.claim(
              scope, requests, config.workerId(), now, leaseUntil, now.plus(idempotency.ttl()));
    } catch (RuntimeException e) {
      markUnavailable(e);
      throw e;
    }
    for (ClaimResult result : results) {
      first.get(result.key()).claim(result);
    }
    // A repeat within the batch waits briefly: its twin is about to run and usually completes soon.
    Instant recheck = now.plus(IN_BATCH_REPEAT_WAIT);
    for (InFlightMessage m : repeats) {
      m.claim(new ClaimResult(m.idempotencyKey(), ClaimResult.Status.BUSY, null, recheck));
    }
  }

  private String keyOf(InFlightMessage m) {
    String fromPayload = idempotency.keyOf(m.payload());
    if (fromPayload != null && !fromPayload.isBlank()) {
      return fromPayload;
    }
    MessageAttributeValue attribute =
        m.message().messageAttributes().get(idempotency.keyAttribute());
    if (attribute != null
        && attribute.stringValue() != null
        && !attribute.stringValue().isBlank()) {
      return attribute.stringValue();
    }
    String dedup = m.systemAttribute(MessageSystemAttributeName.MESSAGE_DEDUPLICATION_ID);
    return dedup != null ? dedup : m.messageId();
  }

  static String hash(String body) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(body.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }

  /** Queues a completion; the future completes once a batch holding it was written. */
  public CompletableFuture<Void> complete(Claim claim) {
    CompletableFuture<Void> done = new CompletableFuture<>();
    completions.add(new PendingCompletion(claim, done));
    return done;
  }

  /** Marks a claim completed in the handler's transaction; false if the claim was lost. */
  public boolean complete(Connection transaction, Claim claim) {
    Instant now = clock.instant();
    return store.complete(transaction, scope, claim, now, now.plus(idempotency.ttl()));
  }

  /** Gives a claim back; {@code attempted} says whether the handler ran. */
  public void release(Claim claim, boolean attempted, Throwable error) {
    try {
      store.release(
          scope, claim, attempted, error == null ? null : error.toString(), clock.instant());
    } catch (RuntimeException e) {
      markUnavailable(e);
      LOG.warn("Could not release idempotency key '{}'; its lease will expire", claim.key(), e);
    }
  }

  /** Deletes a dead-lettered message's record so a replay runs again. */
  public void forget(Claim claim) {
    try {
      store.forget(scope, claim);
    } catch (RuntimeException e) {
      markUnavailable(e);
      LOG.warn("Could not delete idempotency key '{}' of a dead letter", claim.key(), e);
    }
  }

  /**
   * Extends the leases of messages whose visibility was just extended, in one statement.
   *
   * @return the messages whose claim was lost
   */
  public List<InFlightMessage> extend(Collection<InFlightMessage> messages, Instant leaseUntil) {
    Map<String, InFlightMessage> byKey = new HashMap<>();
    List<Claim> claims = new ArrayList<>();
    for (InFlightMessage m : messages) {
      Claim claim = m.wonClaim();
      if (claim != null) {
        claims.add(claim);
        byKey.put(claim.key(), m);
      }
    }
    if (claims.isEmpty()) {
      return List.of();
    }
    try {
      Set<String> lost = store.extendLeases(scope, claims, leaseUntil);
      return lost.stream().map(byKey::get).toList();
    } catch (RuntimeException e) {
      markUnavailable(e);
      LOG.warn("Could not extend {} idempotency leases", claims.size(), e);
      return List.of();
    }
  }

  private void completeLoop() {
    List<PendingCompletion> batch = new ArrayList<>();
    while (running || !completions.isEmpty()) {
      try {
        PendingCompletion head =
            completions.poll(config.ackFlushInterval().toMillis(), TimeUnit.MILLISECONDS);
        if (head == null) {
          continue;
        }
        batch.add(head);
        // Whatever else has gathered goes in the same statement.
        completions.drainTo(batch, COMPLETION_BATCH - 1);
        if (batch.size() < 10) {
          PendingCompletion more;
          long deadline = System.nanoTime() + config.ackFlushInterval().toNanos();
          while (batch.size() < 10
              && (more =
                      completions.poll(
                          Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS))
                  != null) {
            batch.add(more);
          }
        }
        writeCompletions(batch);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } finally {
        batch.clear();
      }
    }
  }

  private void writeCompletions(List<PendingCompletion> batch) {
    Instant now = clock.instant();
    try {
      store.complete(
          scope,
          batch.stream().map(PendingCompletion::claim).toList(),
          now,
          now.plus(idempotency.ttl()));
      batch.forEach(p -> p.done().complete(null));
    } catch (RuntimeException e) {
      markUnavailable(e);
      batch.forEach(p -> p.done().completeExceptionally(e));
    }
  }

  private void purge() {
    if (unavailable.get() != null) {
      return;
    }
    try {
      int deleted;
      do {
        deleted = store.purgeExpired(clock.instant(), idempotency.purgeBatch());
        if (deleted > 0) {
          LOG.debug("Purged {} expired idempotency records in scope {}", deleted, scope);
        }
      } while (deleted == idempotency.purgeBatch() && running);
    } catch (RuntimeException e) {
      markUnavailable(e);
    }
  }

  private void probe() {
    if (unavailable.get() == null) {
      return;
    }
    if (store.isAvailable()) {
      LOG.info("Idempotency store answers again; resuming {}", config.queueUrl());
      unavailable.set(null);
    }
  }

  /** Marks the store unreachable: polling pauses until the probe sees it answer. */
  void markUnavailable(Throwable cause) {
    String reason = "idempotency store unavailable: " + rootMessage(cause);
    if (unavailable.getAndSet(reason) == null) {
      LOG.warn("Idempotency store unavailable; pausing {}: {}", config.queueUrl(), reason);
    }
  }

  private static String rootMessage(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
  }

  /**
   * How long a message whose key is busy stays invisible: a third of the lease that is left (the
   * holder often completes early, which ends the lease), at least 2 s, and never past the lease's
   * end plus a second. Few receives are spent this way, and none counts as an attempt.
   */
  int busyDelaySeconds(Instant leaseUntil) {
    return busyDelaySeconds(clock.instant(), leaseUntil);
  }

  static int busyDelaySeconds(Instant now, Instant leaseUntil) {
    if (leaseUntil == null) {
      return 2;
    }
    long remaining = Math.max(0, (Duration.between(now, leaseUntil).toMillis() + 999) / 1000);
    long delay = Math.min(remaining + 1, Math.max(2, remaining / 3));
    return (int) Math.min(WorkerConfig.SQS_MAX_VISIBILITY.toSeconds() - 1, delay);
  }

  /** Stops the batcher after writing what is queued. */
  @Override
  public void close() {
    running = false;
    if (completer != null) {
      try {
        completer.join(Duration.ofSeconds(10).toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
