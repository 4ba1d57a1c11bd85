package dev.sqsworker.core.internal.admit;

import dev.sqsworker.core.WorkerConfig;
import dev.sqsworker.core.idempotency.Claim;
import dev.sqsworker.core.idempotency.ClaimRequest;
import dev.sqsworker.core.idempotency.ClaimResult;
import dev.sqsworker.core.idempotency.Idempotency;
import dev.sqsworker.core.idempotency.IdempotencyMode;
import dev.sqsworker.core.idempotency.IdempotencySchema;
import dev.sqsworker.core.idempotency.IdempotencyStore;
import dev.sqsworker.core.idempotency.TransactionalIdempotencyStore;
import dev.sqsworker.core.internal.message.InFlightMessage;
import dev.sqsworker.core.internal.support.SqlFailures;
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
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gate over an {@link IdempotencyStore}: key resolution ({@link KeyResolver}), one claim
 * statement per received batch, batched completions ({@link CompletionBatcher}), lease extension,
 * purge, and the store's health ({@link StoreHealth}), which pauses polling while it is down.
 */
final class StoreGate implements IdempotencyGate {

  private static final Logger LOG = LoggerFactory.getLogger(StoreGate.class);
  private static final Duration IN_BATCH_REPEAT_WAIT = Duration.ofSeconds(1);

  private final Idempotency idempotency;
  private final IdempotencyStore store;
  private final WorkerConfig config;
  private final String scope;
  private final Clock clock;
  private final KeyResolver keys;
  private final StoreHealth health;
  private final CompletionBatcher completions;

  /** The end of each won claim's lease as the store last confirmed it, by claim token. */
  private final Map<String, Instant> leaseEnds = new ConcurrentHashMap<>();

  private volatile boolean running;

  StoreGate(Idempotency idempotency, WorkerConfig config, Clock clock, LongSupplier nanos) {
    this.idempotency = idempotency;
    this.store = idempotency.store();
    this.config = config;
    this.scope = idempotency.scope() != null ? idempotency.scope() : config.queueName();
    this.clock = clock;
    this.keys = new KeyResolver(idempotency);
    this.health = new StoreHealth(store, config.queueUrl());
    this.completions =
        new CompletionBatcher(
            config.ackFlushInterval(),
            nanos,
            this::writeCompletions,
            "sqsworker-" + config.queueName() + "-idempotency");
  }

  @Override
  public void start(ScheduledExecutorService scheduler) {
    if (idempotency.migrateOnStart() && idempotency.dataSource() != null) {
      IdempotencySchema.migrate(idempotency.dataSource());
    }
    running = true;
    completions.start();
    long purge = idempotency.purgeInterval().toMillis();
    scheduler.scheduleWithFixedDelay(this::purge, purge, purge, TimeUnit.MILLISECONDS);
    health.start(scheduler);
  }

  @Override
  public void ran(InFlightMessage m) {
    // The claim counted the attempt already.
  }

  @Override
  public ClaimState claimState(InFlightMessage m) {
    return ClaimState.of(m.claim());
  }

  @Override
  public boolean transactional() {
    return idempotency.mode() == IdempotencyMode.TRANSACTIONAL;
  }

  @Override
  public DataSource dataSource() {
    return idempotency.dataSource();
  }

  @Override
  public String unavailableReason() {
    return health.unavailableReason();
  }

  @Override
  public void markUnavailable(Throwable cause) {
    health.markUnavailable(cause);
  }

  /**
   * Finds the keys of a batch's decoded messages and claims the usable ones in one statement. A key
   * that appears twice in the batch is claimed once; the later message is reported busy.
   */
  @Override
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
      String key;
      try {
        key = keys.keyOf(m);
      } catch (RuntimeException e) {
        m.badKey(e);
        continue;
      }
      m.idempotencyKey(key);
      if (first.putIfAbsent(key, m) != null) {
        repeats.add(m);
        continue;
      }
      requests.add(new ClaimRequest(key, hash(m.body()), UUID.randomUUID().toString()));
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
      LOG.warn(
          "Could not claim idempotency keys for {} messages on {}; they wait for the store",
          requests.size(),
          config.queueName(),
          e);
      return;
    }
    for (ClaimResult result : results) {
      first.get(result.key()).claim(result);
      if (result.claim() != null) {
        leaseEnds.put(result.claim().token(), leaseUntil);
      }
    }
    // A repeat within the batch waits briefly: its twin is about to run and usually completes soon.
    Instant recheck = now.plus(IN_BATCH_REPEAT_WAIT);
    for (InFlightMessage m : repeats) {
      m.claim(new ClaimResult(m.idempotencyKey(), ClaimResult.Status.BUSY, null, recheck));
    }
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

  @Override
  public CompletableFuture<Boolean> complete(InFlightMessage m) {
    Claim claim = m.wonClaim();
    if (claim == null) {
      return CompletableFuture.completedFuture(true);
    }
    leaseEnds.remove(claim.token());
    return completions.add(claim);
  }

  @Override
  public boolean complete(Connection transaction, InFlightMessage m) {
    Claim claim = m.wonClaim();
    if (claim == null) {
      return true;
    }
    leaseEnds.remove(claim.token());
    if (!(store instanceof TransactionalIdempotencyStore jdbc)) {
      // Idempotency.build() refuses transactional mode without one.
      throw new IllegalStateException(
          "idempotency store " + store.getClass().getName() + " is not transactional");
    }
    Instant now = clock.instant();
    return jdbc.complete(transaction, scope, claim, now, now.plus(idempotency.ttl()));
  }

  @Override
  public void release(InFlightMessage m, boolean attempted, Throwable error) {
    Claim claim = m.wonClaim();
    if (claim == null) {
      return;
    }
    leaseEnds.remove(claim.token());
    try {
      store.release(
          scope, claim, attempted, error == null ? null : error.toString(), clock.instant());
    } catch (RuntimeException e) {
      storeFailed(e);
      LOG.warn("Could not release idempotency key '{}'; its lease will expire", claim.key(), e);
    }
  }

  @Override
  public void forget(InFlightMessage m) {
    Claim claim = m.wonClaim();
    if (claim == null) {
      return;
    }
    leaseEnds.remove(claim.token());
    try {
      store.forget(scope, claim);
    } catch (RuntimeException e) {
      storeFailed(e);
      LOG.warn("Could not delete idempotency key '{}' of a dead letter", claim.key(), e);
    }
  }

  @Override
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
    Set<String> lost;
    try {
      lost = store.extendLeases(scope, claims, clock.instant(), leaseUntil);
    } catch (RuntimeException first) {
      // Once more at once: a lease must not be given up for one dropped connection.
      try {
        lost = store.extendLeases(scope, claims, clock.instant(), leaseUntil);
      } catch (RuntimeException e) {
        e.addSuppressed(first);
        storeFailed(e);
        LOG.warn(
            "Could not extend {} idempotency leases on {}; their handlers stop before the leases"
                + " end unless a later extension succeeds",
            claims.size(),
            config.queueName(),
            e);
        return List.of();
      }
    }
    for (Claim claim : claims) {
      if (lost.contains(claim.key())) {
        leaseEnds.remove(claim.token());
      } else {
        leaseEnds.computeIfPresent(claim.token(), (token, end) -> leaseUntil);
      }
    }
    return lost.stream().map(byKey::get).toList();
  }

  @Override
  public List<InFlightMessage> leasesEndingBefore(
      Collection<InFlightMessage> messages, Instant before) {
    List<InFlightMessage> ending = new ArrayList<>();
    for (InFlightMessage m : messages) {
      Claim claim = m.wonClaim();
      Instant end = claim == null ? null : leaseEnds.get(claim.token());
      if (end != null && end.isBefore(before)) {
        ending.add(m);
      }
    }
    return ending;
  }

  private Set<String> writeCompletions(List<Claim> batch) {
    Instant now = clock.instant();
    try {
      return store.complete(scope, batch, now, now.plus(idempotency.ttl()));
    } catch (RuntimeException e) {
      storeFailed(e);
      throw e;
    }
  }

  /** A failure caused by the data (constraint, conflict) does not pause polling. */
  private void storeFailed(RuntimeException e) {
    SqlFailures.Meaning meaning = SqlFailures.classify(e);
    if (meaning != SqlFailures.Meaning.CONSTRAINT && meaning != SqlFailures.Meaning.CONFLICT) {
      markUnavailable(e);
    }
  }

  private void purge() {
    if (unavailableReason() != null) {
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
      storeFailed(e);
    }
  }

  @Override
  public void close() {
    running = false;
    completions.close(Duration.ofSeconds(10));
  }
}
