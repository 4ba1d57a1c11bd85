package dev.sqsworker.core.idempotency;

import java.time.Duration;
import java.util.Objects;
import java.util.function.Function;
import javax.sql.DataSource;

/**
 * How a worker makes its effects happen once: where keys are stored, how a message's key is found,
 * and whether completion shares the handler's transaction.
 *
 * <pre>{@code
 * Idempotency idempotency = Idempotency.postgres(dataSource)
 *     .mode(IdempotencyMode.TRANSACTIONAL)
 *     .keyFrom(Order.class, Order::orderId)
 *     .build();
 * Worker.builder()...idempotency(idempotency)...
 * }</pre>
 *
 * <p>A message's key is, by default, its {@value #DEFAULT_KEY_ATTRIBUTE} message attribute, else
 * its FIFO deduplication id, else its SQS message id; {@link Builder#keyFrom} derives it from the
 * payload instead. Keys are scoped (by default by queue name), so two handlers can use the same key
 * for different work.
 */
public final class Idempotency {

  /** The message attribute that carries a key: {@value}. */
  public static final String DEFAULT_KEY_ATTRIBUTE = "Idempotency-Key";

  /** How long a record is kept after its last change: 7 days. */
  public static final Duration DEFAULT_TTL = Duration.ofDays(7);

  /** How often expired records are purged: every 5 minutes. */
  public static final Duration DEFAULT_PURGE_INTERVAL = Duration.ofMinutes(5);

  /** The most records one purge statement deletes: {@value}. */
  public static final int DEFAULT_PURGE_BATCH = 1000;

  private final IdempotencyStore store;
  private final DataSource dataSource;
  private final IdempotencyMode mode;
  private final Duration ttl;
  private final String scope;
  private final String keyAttribute;
  private final Class<?> keyPayloadType;
  private final Function<Object, String> keyFunction;
  private final Duration purgeInterval;
  private final int purgeBatch;
  private final boolean migrate;

  private Idempotency(Builder b) {
    this.store = b.store;
    this.dataSource = b.dataSource;
    this.mode = b.mode;
    this.ttl = b.ttl;
    this.scope = b.scope;
    this.keyAttribute = b.keyAttribute;
    this.keyPayloadType = b.keyPayloadType;
    this.keyFunction = b.keyFunction;
    this.purgeInterval = b.purgeInterval;
    this.purgeBatch = b.purgeBatch;
    this.migrate = b.migrate;
  }

  /**
   * Keys in PostgreSQL through {@code dataSource} (a pool such as HikariCP); the table is created
   * or upgraded when the worker starts, unless {@link Builder#migrateOnStart(boolean)} is false.
   */
  public static Builder postgres(DataSource dataSource) {
    Objects.requireNonNull(dataSource, "dataSource");
    Builder b = new Builder(IdempotencyStore.postgres(dataSource));
    b.dataSource = dataSource;
    b.migrate = true;
    return b;
  }

  /**
   * Keys in another store; transactional mode needs a {@link TransactionalIdempotencyStore} and
   * {@link Builder#dataSource}.
   */
  public static Builder store(IdempotencyStore store) {
    return new Builder(Objects.requireNonNull(store, "store"));
  }

  /** The store. */
  public IdempotencyStore store() {
    return store;
  }

  /** The database of the transactional mode, or null. */
  public DataSource dataSource() {
    return dataSource;
  }

  /** The mode. */
  public IdempotencyMode mode() {
    return mode;
  }

  /** How long records are kept. */
  public Duration ttl() {
    return ttl;
  }

  /** The scope, or null for the queue's name. */
  public String scope() {
    return scope;
  }

  /** The message attribute read for the key. */
  public String keyAttribute() {
    return keyAttribute;
  }

  /**
   * The key derived from a decoded payload, or null when the payload does not give one (then the
   * attribute / deduplication id / message id rule applies).
   *
   * @throws IllegalArgumentException if the payload is not of the type the key function expects
   */
  public String keyOf(Object payload) {
    if (keyFunction == null) {
      return null;
    }
    if (!keyPayloadType.isInstance(payload)) {
      throw new IllegalArgumentException(
          "the idempotency key function takes "
              + keyPayloadType.getSimpleName()
              + " but the payload is "
              + (payload == null ? "null" : payload.getClass().getSimpleName()));
    }
    return keyFunction.apply(payload);
  }

  /** How often expired records are purged. */
  public Duration purgeInterval() {
    return purgeInterval;
  }

  /** The most records one purge deletes. */
  public int purgeBatch() {
    return purgeBatch;
  }

  /** Whether the worker migrates the PostgreSQL schema at start. */
  public boolean migrateOnStart() {
    return migrate;
  }

  /** Builds an {@link Idempotency}. */
  public static final class Builder {
    private final IdempotencyStore store;
    private DataSource dataSource;
    private IdempotencyMode mode = IdempotencyMode.NON_TRANSACTIONAL;
    private Duration ttl = DEFAULT_TTL;
    private String scope;
    private String keyAttribute = DEFAULT_KEY_ATTRIBUTE;
    private Class<?> keyPayloadType;
    private Function<Object, String> keyFunction;
    private Duration purgeInterval = DEFAULT_PURGE_INTERVAL;
    private int purgeBatch = DEFAULT_PURGE_BATCH;
    private boolean migrate;

    private Builder(IdempotencyStore store) {
      this.store = store;
    }

    /** Non-transactional (default) or transactional completion. */
    public Builder mode(IdempotencyMode mode) {
      this.mode = Objects.requireNonNull(mode, "mode");
      return this;
    }

    /** The database whose transaction the handler gets in transactional mode. */
    public Builder dataSource(DataSource dataSource) {
      this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
      return this;
    }

    /** How long a record is kept after its last change; 1 minute to 365 days, default 7 days. */
    public Builder ttl(Duration ttl) {
      Objects.requireNonNull(ttl, "ttl");
      if (ttl.compareTo(Duration.ofMinutes(1)) < 0 || ttl.compareTo(Duration.ofDays(365)) > 0) {
        throw new IllegalArgumentException("ttl must be between 1 minute and 365 days, was " + ttl);
      }
      this.ttl = ttl;
      return this;
    }

    /** The scope of the keys; default: the queue's name. */
    public Builder scope(String scope) {
      if (scope == null || scope.isBlank() || scope.length() > 200) {
        throw new IllegalArgumentException(
            "scope must be 1 to 200 characters, was '" + scope + "'");
      }
      this.scope = scope;
      return this;
    }

    /** The message attribute that carries the key; default {@value #DEFAULT_KEY_ATTRIBUTE}. */
    public Builder keyAttribute(String keyAttribute) {
      if (keyAttribute == null || keyAttribute.isBlank()) {
        throw new IllegalArgumentException("keyAttribute must not be empty");
      }
      this.keyAttribute = keyAttribute;
      return this;
    }

    /** Derives the key from the decoded payload, e.g. {@code keyFrom(Order.class, Order::id)}. */
    @SuppressWarnings("unchecked")
    public <T> Builder keyFrom(Class<T> payloadType, Function<? super T, String> key) {
      this.keyPayloadType = Objects.requireNonNull(payloadType, "payloadType");
      this.keyFunction =
          (Function<Object, String>) (Function<?, String>) Objects.requireNonNull(key, "key");
      return this;
    }

    /** How often expired records are purged; default 5 minutes. */
    public Builder purgeInterval(Duration purgeInterval) {
      Objects.requireNonNull(purgeInterval, "purgeInterval");
      if (purgeInterval.compareTo(Duration.ofSeconds(1)) < 0) {
        throw new IllegalArgumentException(
            "purgeInterval must be at least 1 second, was " + purgeInterval);
      }
      this.purgeInterval = purgeInterval;
      return this;
    }

    /** The most records one purge deletes; 1 to 100,000, default 1,000. */
    public Builder purgeBatch(int purgeBatch) {
      if (purgeBatch < 1 || purgeBatch > 100_000) {
        throw new IllegalArgumentException(
            "purgeBatch must be between 1 and 100000, was " + purgeBatch);
      }
      this.purgeBatch = purgeBatch;
      return this;
    }

    /** Whether the worker creates or upgrades the PostgreSQL table at start (default true). */
    public Builder migrateOnStart(boolean migrate) {
      this.migrate = migrate;
      return this;
    }

    /**
     * Builds the configuration.
     *
     * @throws IllegalArgumentException if transactional mode has no data source, or a store that
     *     cannot complete inside a transaction
     */
    public Idempotency build() {
      if (mode == IdempotencyMode.TRANSACTIONAL && dataSource == null) {
        throw new IllegalArgumentException(
            "TRANSACTIONAL idempotency needs the dataSource whose transaction the handler gets");
      }
      if (mode == IdempotencyMode.TRANSACTIONAL
          && !(store instanceof TransactionalIdempotencyStore)) {
        throw new IllegalArgumentException(
            "TRANSACTIONAL idempotency needs a TransactionalIdempotencyStore; "
                + store.getClass().getName()
                + " cannot complete a key inside the handler's transaction");
      }
      return new Idempotency(this);
    }
  }
}
