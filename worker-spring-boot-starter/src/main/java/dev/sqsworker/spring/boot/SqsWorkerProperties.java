package dev.sqsworker.spring.boot;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The {@code sqsworker.*} properties: one worker per entry of {@code sqsworker.workers}, the SQS
 * client the starter builds when the application has none, and the downstreams the workers share.
 *
 * <pre>
 * sqsworker.workers.orders.queue-name=orders
 * sqsworker.workers.orders.handler=orderHandler
 * sqsworker.workers.orders.concurrency=20
 * sqsworker.workers.orders.idempotency.mode=transactional
 * </pre>
 *
 * <p>An option left unset keeps the default of {@link dev.sqsworker.core.WorkerConfig} (its {@code
 * DEFAULT_*} constants), so the two never disagree.
 */
@ConfigurationProperties(prefix = "sqsworker")
public class SqsWorkerProperties {

  /** Whether the starter creates workers at all. */
  private boolean enabled = true;

  /**
   * Whether the workers start with the application context; when false, start them with {@code
   * SqsWorkers.start()}.
   */
  private boolean autoStartup = true;

  /** The SQS client built when the application has no SqsAsyncClient bean. */
  private final Sqs sqs = new Sqs();

  /** The workers, by name. */
  private final Map<String, WorkerProperties> workers = new LinkedHashMap<>();

  /** Downstreams (circuit breaker, rate limit, bulkhead, retry), by name, shared by all workers. */
  private final Map<String, DownstreamProperties> downstreams = new LinkedHashMap<>();

  /** Where the downstreams' global rate limits keep their buckets: the application's DataSource. */
  private final GlobalRateStore globalRateStore = new GlobalRateStore();

  public boolean isEnabled() {
    return enabled;
  }

  public void setEnabled(boolean enabled) {
    this.enabled = enabled;
  }

  public boolean isAutoStartup() {
    return autoStartup;
  }

  public void setAutoStartup(boolean autoStartup) {
    this.autoStartup = autoStartup;
  }

  public Sqs getSqs() {
    return sqs;
  }

  public Map<String, WorkerProperties> getWorkers() {
    return workers;
  }

  public Map<String, DownstreamProperties> getDownstreams() {
    return downstreams;
  }

  public GlobalRateStore getGlobalRateStore() {
    return globalRateStore;
  }

  /**
   * The table of the global rate limits' buckets, in the application's DataSource; used only when a
   * downstream has a global-rate-limit.
   */
  public static class GlobalRateStore {
    /**
     * Whether the buckets' table is created or upgraded at start (Flyway, in its own history
     * table); turn off when the SQL shipped under db/sqsworker/ratelimit runs elsewhere.
     */
    private boolean migrateOnStart = true;

    public boolean isMigrateOnStart() {
      return migrateOnStart;
    }

    public void setMigrateOnStart(boolean migrateOnStart) {
      this.migrateOnStart = migrateOnStart;
    }
  }

  /** The SQS client the starter builds when the application has none. */
  public static class Sqs {
    /** The AWS region; default: the SDK's region provider chain (AWS_REGION, profile, ...). */
    private String region;

    /** An endpoint override, e.g. a local SQS-compatible server; default: the region's endpoint. */
    private URI endpoint;

    public String getRegion() {
      return region;
    }

    public void setRegion(String region) {
      this.region = region;
    }

    public URI getEndpoint() {
      return endpoint;
    }

    public void setEndpoint(URI endpoint) {
      this.endpoint = endpoint;
    }
  }

  /** One worker: a queue and the MessageHandler bean that handles its messages. */
  public static class WorkerProperties {
    /** Whether this worker is created. */
    private boolean enabled = true;

    /** The queue's URL. Give this or queue-name. */
    private String queueUrl;

    /** The queue's name, resolved to its URL with GetQueueUrl at start. Give this or queue-url. */
    private String queueName;

    /** The dead-letter queue's URL; default: the queue's RedrivePolicy target. */
    private String dlqUrl;

    /** The dead-letter queue's name, resolved with GetQueueUrl; an alternative to dlq-url. */
    private String dlqName;

    /** The name of the MessageHandler bean; default: the application's only MessageHandler bean. */
    private String handler;

    /**
     * The payload class; default: the type argument of the handler bean's MessageHandler&lt;T&gt;.
     */
    private Class<?> payloadType;

    /** Messages handled at once; 1 to 10,000, default 10. */
    private Integer concurrency;

    /** Receive loops; default one per five handler slots, at most 16. */
    private Integer pollers;

    /** Messages asked for per receive; 1 to 10, default 10. */
    private Integer batchSize;

    /** Attempts before a message is dead-lettered; 1 to 1,000, default 5. */
    private Integer maxAttempts;

    /** Base of the exponential retry backoff; default 1 s. */
    private Duration backoffBase;

    /** Cap of the exponential retry backoff; default 15 min. */
    private Duration backoffCap;

    /** Visibility timeout per receive and extension; whole seconds, 1 s to 12 h, default 30 s. */
    private Duration visibilityTimeout;

    /** Long-poll wait; whole seconds, 0 to 20 s, default 20 s. */
    private Duration waitTime;

    /** Longest a handler may keep one message; up to 12 h, default 1 h. */
    private Duration maxHandlingTime;

    /** How long shutdown waits for running handlers; 0 to 1 h, default 25 s. */
    private Duration shutdownGrace;

    /** Longest wait before a partial batch of deletions is sent; default 50 ms. */
    private Duration ackFlushInterval;

    /** This instance's id in failure reasons and idempotency leases; default pid@host. */
    private String workerId;

    /** Exception types that go straight to the dead-letter queue (subclasses count too). */
    private List<Class<? extends Throwable>> nonRetryableExceptions = new ArrayList<>();

    /** Downstreams (sqsworker.downstreams.*) whose open circuit breaker pauses this worker. */
    private List<String> dependsOn = new ArrayList<>();

    /** Idempotency in the application's DataSource. */
    private final IdempotencyProperties idempotency = new IdempotencyProperties();

    public boolean isEnabled() {
      return enabled;
    }

    public void setEnabled(boolean enabled) {
      this.enabled = enabled;
    }

    public String getQueueUrl() {
      return queueUrl;
    }

    public void setQueueUrl(String queueUrl) {
      this.queueUrl = queueUrl;
    }

    public String getQueueName() {
      return queueName;
    }

    public void setQueueName(String queueName) {
      this.queueName = queueName;
    }

    public String getDlqUrl() {
      return dlqUrl;
    }

    public void setDlqUrl(String dlqUrl) {
      this.dlqUrl = dlqUrl;
    }

    public String getDlqName() {
      return dlqName;
    }

    public void setDlqName(String dlqName) {
      this.dlqName = dlqName;
    }

    public String getHandler() {
      return handler;
    }

    public void setHandler(String handler) {
      this.handler = handler;
    }

    public Class<?> getPayloadType() {
      return payloadType;
    }

    public void setPayloadType(Class<?> payloadType) {
      this.payloadType = payloadType;
    }

    public Integer getConcurrency() {
      return concurrency;
    }

    public void setConcurrency(Integer concurrency) {
      this.concurrency = concurrency;
    }

    public Integer getPollers() {
      return pollers;
    }

    public void setPollers(Integer pollers) {
      this.pollers = pollers;
    }

    public Integer getBatchSize() {
      return batchSize;
    }

    public void setBatchSize(Integer batchSize) {
      this.batchSize = batchSize;
    }

    public Integer getMaxAttempts() {
      return maxAttempts;
    }

    public void setMaxAttempts(Integer maxAttempts) {
      this.maxAttempts = maxAttempts;
    }

    public Duration getBackoffBase() {
      return backoffBase;
    }

    public void setBackoffBase(Duration backoffBase) {
      this.backoffBase = backoffBase;
    }

    public Duration getBackoffCap() {
      return backoffCap;
    }

    public void setBackoffCap(Duration backoffCap) {
      this.backoffCap = backoffCap;
    }

    public Duration getVisibilityTimeout() {
      return visibilityTimeout;
    }

    public void setVisibilityTimeout(Duration visibilityTimeout) {
      this.visibilityTimeout = visibilityTimeout;
    }

    public Duration getWaitTime() {
      return waitTime;
    }

    public void setWaitTime(Duration waitTime) {
      this.waitTime = waitTime;
    }

    public Duration getMaxHandlingTime() {
      return maxHandlingTime;
    }

    public void setMaxHandlingTime(Duration maxHandlingTime) {
      this.maxHandlingTime = maxHandlingTime;
    }

    public Duration getShutdownGrace() {
      return shutdownGrace;
    }

    public void setShutdownGrace(Duration shutdownGrace) {
      this.shutdownGrace = shutdownGrace;
    }

    public Duration getAckFlushInterval() {
      return ackFlushInterval;
    }

    public void setAckFlushInterval(Duration ackFlushInterval) {
      this.ackFlushInterval = ackFlushInterval;
    }

    public String getWorkerId() {
      return workerId;
    }

    public void setWorkerId(String workerId) {
      this.workerId = workerId;
    }

    public List<Class<? extends Throwable>> getNonRetryableExceptions() {
      return nonRetryableExceptions;
    }

    public void setNonRetryableExceptions(List<Class<? extends Throwable>> nonRetryableExceptions) {
      this.nonRetryableExceptions = nonRetryableExceptions;
    }

    public List<String> getDependsOn() {
      return dependsOn;
    }

    public void setDependsOn(List<String> dependsOn) {
      this.dependsOn = dependsOn;
    }

    public IdempotencyProperties getIdempotency() {
      return idempotency;
    }
  }

  /** How a worker makes its effects happen once. */
  public static class IdempotencyProperties {
    /**
     * none (default), non-transactional (the key is completed after the handler returns) or
     * transactional (the handler's JDBC/JPA writes and the completion commit in one Spring-managed
     * transaction).
     */
    private Mode mode = Mode.NONE;

    /** How long a record is kept after its last change; default 7 days. */
    private Duration ttl;

    /** The scope of the keys; default: the queue's name. */
    private String scope;

    /** The message attribute that carries the key; default Idempotency-Key. */
    private String keyAttribute;

    /**
     * Whether the idempotency table is created or upgraded at start (Flyway, in its own history
     * table); turn off when the SQL shipped under db/sqsworker/idempotency runs elsewhere.
     */
    private boolean migrateOnStart = true;

    public boolean isMigrateOnStart() {
      return migrateOnStart;
    }

    public void setMigrateOnStart(boolean migrateOnStart) {
      this.migrateOnStart = migrateOnStart;
    }

    public Mode getMode() {
      return mode;
    }

    public void setMode(Mode mode) {
      this.mode = mode;
    }

    public Duration getTtl() {
      return ttl;
    }

    public void setTtl(Duration ttl) {
      this.ttl = ttl;
    }

    public String getScope() {
      return scope;
    }

    public void setScope(String scope) {
      this.scope = scope;
    }

    public String getKeyAttribute() {
      return keyAttribute;
    }

    public void setKeyAttribute(String keyAttribute) {
      this.keyAttribute = keyAttribute;
    }
  }

  /** The idempotency modes of a worker. */
  public enum Mode {
    /** No idempotency keys: a message may be handled again after a crash or a lost deletion. */
    NONE,
    /** Keys in the application's DataSource, completed after the handler returns. */
    NON_TRANSACTIONAL,
    /** Keys completed in the handler's Spring-managed transaction. */
    TRANSACTIONAL
  }

  /** One downstream; unset options keep DownstreamConfig's defaults. */
  public static class DownstreamProperties {
    /** Longest a call may take. */
    private Duration timeout;

    /** Most calls at once (bulkhead); 0 for no limit. */
    private Integer maxConcurrent;

    /** Longest a call waits for a bulkhead slot or a rate-limit permit. */
    private Duration maxWait;

    /** Most calls per rate-period; 0 for no limit. */
    private Integer rateLimit;

    /** The period of rate-limit. */
    private Duration ratePeriod;

    /**
     * Most calls per global-rate-period by every task of the service together, counted in a bucket
     * in the application's DataSource; 0 (default) for no global limit, else 2 to 1,000,000. A call
     * denied a permit parks its message (no attempt counted), as an open breaker does.
     */
    private Integer globalRateLimit;

    /** The period of global-rate-limit; 100 ms to 1 h, default 1 s. */
    private Duration globalRatePeriod;

    /**
     * The share of global-rate-limit this task may use on its own while the database is
     * unreachable; above 0 and at most 1, default 0.1.
     */
    private Double globalRateFallback;

    /** Failure rate (percent) that opens the circuit breaker. */
    private Integer breakerFailureRate;

    /** Calls in the breaker's sliding window. */
    private Integer breakerWindow;

    /** Calls before the breaker computes a failure rate. */
    private Integer breakerMinCalls;

    /** How long the breaker stays open. */
    private Duration breakerOpenFor;

    /** Trial calls while half-open. */
    private Integer breakerHalfOpenCalls;

    /** Attempts per call, the first included. */
    private Integer retryAttempts;

    /** Base of the retry backoff. */
    private Duration retryBase;

    /** Cap of the retry backoff. */
    private Duration retryCap;

    public Duration getTimeout() {
      return timeout;
    }

    public void setTimeout(Duration timeout) {
      this.timeout = timeout;
    }

    public Integer getMaxConcurrent() {
      return maxConcurrent;
    }

    public void setMaxConcurrent(Integer maxConcurrent) {
      this.maxConcurrent = maxConcurrent;
    }

    public Duration getMaxWait() {
      return maxWait;
    }

    public void setMaxWait(Duration maxWait) {
      this.maxWait = maxWait;
    }

    public Integer getRateLimit() {
      return rateLimit;
    }

    public void setRateLimit(Integer rateLimit) {
      this.rateLimit = rateLimit;
    }

    public Duration getRatePeriod() {
      return ratePeriod;
    }

    public void setRatePeriod(Duration ratePeriod) {
      this.ratePeriod = ratePeriod;
    }

    public Integer getGlobalRateLimit() {
      return globalRateLimit;
    }

    public void setGlobalRateLimit(Integer globalRateLimit) {
      this.globalRateLimit = globalRateLimit;
    }

    public Duration getGlobalRatePeriod() {
      return globalRatePeriod;
    }

    public void setGlobalRatePeriod(Duration globalRatePeriod) {
      this.globalRatePeriod = globalRatePeriod;
    }

    public Double getGlobalRateFallback() {
      return globalRateFallback;
    }

    public void setGlobalRateFallback(Double globalRateFallback) {
      this.globalRateFallback = globalRateFallback;
    }

    public Integer getBreakerFailureRate() {
      return breakerFailureRate;
    }

    public void setBreakerFailureRate(Integer breakerFailureRate) {
      this.breakerFailureRate = breakerFailureRate;
    }

    public Integer getBreakerWindow() {
      return breakerWindow;
    }

    public void setBreakerWindow(Integer breakerWindow) {
      this.breakerWindow = breakerWindow;
    }

    public Integer getBreakerMinCalls() {
      return breakerMinCalls;
    }

    public void setBreakerMinCalls(Integer breakerMinCalls) {
      this.breakerMinCalls = breakerMinCalls;
    }

    public Duration getBreakerOpenFor() {
      return breakerOpenFor;
    }

    public void setBreakerOpenFor(Duration breakerOpenFor) {
      this.breakerOpenFor = breakerOpenFor;
    }

    public Integer getBreakerHalfOpenCalls() {
      return breakerHalfOpenCalls;
    }

    public void setBreakerHalfOpenCalls(Integer breakerHalfOpenCalls) {
      this.breakerHalfOpenCalls = breakerHalfOpenCalls;
    }

    public Integer getRetryAttempts() {
      return retryAttempts;
    }

    public void setRetryAttempts(Integer retryAttempts) {
      this.retryAttempts = retryAttempts;
    }

    public Duration getRetryBase() {
      return retryBase;
    }

    public void setRetryBase(Duration retryBase) {
      this.retryBase = retryBase;
    }

    public Duration getRetryCap() {
      return retryCap;
    }

    public void setRetryCap(Duration retryCap) {
      this.retryCap = retryCap;
    }
  }
}
