package dev.sqsworker.core;

import static dev.sqsworker.core.internal.support.OptionChecks.parseInt;
import static dev.sqsworker.core.internal.support.OptionChecks.requireBetween;
import static dev.sqsworker.core.internal.support.OptionChecks.requireRange;

import java.lang.management.ManagementFactory;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * The immutable configuration of one {@link Worker}. Build it in code with {@link #builder()} or
 * from {@code SQSWORKER_*} environment variables with {@link Builder#environment(Map)}; every
 * option has both. Setters reject bad values with a message that names the option; {@link
 * Builder#build()} reports every remaining problem at once.
 *
 * <p><b>Precedence: the environment overrides the code</b>, whatever the order of the calls. A
 * variable that is set wins over the builder method of its option; an option whose variable is
 * absent keeps the value set in code, or its default. So the values in code are the defaults of one
 * deployment, and an operator can change any of them without a new build. The same rule holds for
 * the downstreams' {@code SQSWORKER_DOWNSTREAM_*} variables.
 */
public final class WorkerConfig {

  /** Every option's variable, in the configuration reference's order, with what it sets. */
  private static final Map<String, BiConsumer<Builder, String>> VARIABLES = variables();

  private static Map<String, BiConsumer<Builder, String>> variables() {
    Map<String, BiConsumer<Builder, String>> v = new LinkedHashMap<>();
    v.put("SQSWORKER_QUEUE_URL", Builder::queueUrl);
    v.put("SQSWORKER_DLQ_URL", Builder::dlqUrl);
    v.put("SQSWORKER_CONCURRENCY", (b, x) -> b.concurrency(parseInt(x)));
    v.put("SQSWORKER_POLLERS", (b, x) -> b.pollers(parseInt(x)));
    v.put("SQSWORKER_RECEIVE_AHEAD", (b, x) -> b.receiveAhead(parseInt(x)));
    v.put("SQSWORKER_BATCH_SIZE", (b, x) -> b.batchSize(parseInt(x)));
    v.put("SQSWORKER_WAIT_TIME", (b, x) -> b.waitTime(Durations.parse(x)));
    v.put("SQSWORKER_VISIBILITY_TIMEOUT", (b, x) -> b.visibilityTimeout(Durations.parse(x)));
    v.put("SQSWORKER_MAX_HANDLING_TIME", (b, x) -> b.maxHandlingTime(Durations.parse(x)));
    v.put("SQSWORKER_MAX_ATTEMPTS", (b, x) -> b.maxAttempts(parseInt(x)));
    v.put("SQSWORKER_BACKOFF_BASE", (b, x) -> b.backoffBase(Durations.parse(x)));
    v.put("SQSWORKER_BACKOFF_CAP", (b, x) -> b.backoffCap(Durations.parse(x)));
    v.put("SQSWORKER_SHUTDOWN_GRACE", (b, x) -> b.shutdownGrace(Durations.parse(x)));
    v.put("SQSWORKER_ACK_FLUSH_INTERVAL", (b, x) -> b.ackFlushInterval(Durations.parse(x)));
    v.put("SQSWORKER_LATENCY_BUCKETS", Builder::latencyBucketList);
    v.put("SQSWORKER_SLO_SUCCESS", (b, x) -> b.sloSuccess = ServiceLevels.parseRatio(x));
    v.put("SQSWORKER_SLO_LATENCY", (b, x) -> b.sloLatency = ServiceLevels.parseRatio(x));
    v.put("SQSWORKER_SLO_LATENCY_THRESHOLD", (b, x) -> b.sloThreshold = Durations.parse(x));
    v.put("SQSWORKER_SLO_WINDOW", (b, x) -> b.sloWindow = Durations.parse(x));
    v.put("SQSWORKER_WORKER_ID", Builder::workerId);
    v.put("SQSWORKER_NON_RETRYABLE_EXCEPTIONS", Builder::nonRetryableClassNames);
    v.put("SQSWORKER_LARGE_PAYLOAD_BUCKET", Builder::largePayloadBucket);
    v.put(
        "SQSWORKER_LARGE_PAYLOAD_DELETE",
        (b, x) -> b.largePayloadDelete(Builder.parseBoolean("largePayloadDelete", x)));
    return Collections.unmodifiableMap(v);
  }

  /** The environment variables that {@link Builder#environment(Map)} reads, one per option. */
  public static Set<String> environmentVariables() {
    return VARIABLES.keySet();
  }

  /** SQS's upper bound for a message's visibility and for the time since it was received. */
  public static final Duration SQS_MAX_VISIBILITY = Duration.ofHours(12);

  /** Default handler concurrency: {@value}. */
  public static final int DEFAULT_CONCURRENCY = 10;

  /** Largest supported concurrency: {@value}. */
  public static final int MAX_CONCURRENCY = 10_000;

  /** Default and largest receive batch: {@value} (SQS's maximum). */
  public static final int DEFAULT_BATCH_SIZE = 10;

  /** Default long-poll wait: 20 s, SQS's maximum. */
  public static final Duration DEFAULT_WAIT_TIME = Duration.ofSeconds(20);

  /** Default visibility timeout requested on receive: 30 s. */
  public static final Duration DEFAULT_VISIBILITY_TIMEOUT = Duration.ofSeconds(30);

  /** Default longest time a handler may keep one message: 1 h. */
  public static final Duration DEFAULT_MAX_HANDLING_TIME = Duration.ofHours(1);

  /** Default attempts before a message is dead-lettered: {@value}. */
  public static final int DEFAULT_MAX_ATTEMPTS = 5;

  /** Default base of the retry backoff: 1 s. */
  public static final Duration DEFAULT_BACKOFF_BASE = Duration.ofSeconds(1);

  /** Default cap of the retry backoff: 15 min. */
  public static final Duration DEFAULT_BACKOFF_CAP = Duration.ofMinutes(15);

  /** Default shutdown grace: 25 s, below ECS's default 30 s stop timeout. */
  public static final Duration DEFAULT_SHUTDOWN_GRACE = Duration.ofSeconds(25);

  /** Default longest wait before a partial batch of deletions is sent: 50 ms. */
  public static final Duration DEFAULT_ACK_FLUSH_INTERVAL = Duration.ofMillis(50);

  /**
   * Default bucket boundaries of the latency histograms (handler duration, time in the queue,
   * receipt to settlement): 5 ms to 1 h, 2 s included (a common latency objective).
   */
  public static final List<Duration> DEFAULT_LATENCY_BUCKETS =
      List.of(
          Duration.ofMillis(5),
          Duration.ofMillis(10),
          Duration.ofMillis(25),
          Duration.ofMillis(50),
          Duration.ofMillis(100),
          Duration.ofMillis(250),
          Duration.ofMillis(500),
          Duration.ofSeconds(1),
          Duration.ofSeconds(2),
          Duration.ofSeconds(5),
          Duration.ofSeconds(10),
          Duration.ofSeconds(30),
          Duration.ofMinutes(1),
          Duration.ofMinutes(5),
          Duration.ofMinutes(15),
          Duration.ofHours(1));

  private final String queueUrl;
  private final String dlqUrl;
  private final int concurrency;
  private final int pollers;
  private final int receiveAhead;
  private final int batchSize;
  private final Duration waitTime;
  private final Duration visibilityTimeout;
  private final Duration maxHandlingTime;
  private final int maxAttempts;
  private final BackoffPolicy backoff;
  private final Duration shutdownGrace;
  private final Duration ackFlushInterval;
  private final List<Duration> latencyBuckets;
  private final ServiceLevels serviceLevels;
  private final String workerId;
  private final List<Class<? extends Throwable>> nonRetryable;
  private final String largePayloadBucket;
  private final boolean largePayloadDelete;
  private final Builder source;

  private WorkerConfig(Builder b, Builder source) {
    this.queueUrl = b.queueUrl;
    this.dlqUrl = b.dlqUrl;
    this.concurrency = b.concurrency;
    this.pollers = b.pollers > 0 ? b.pollers : defaultPollers(b.concurrency, b.batchSize);
    this.batchSize = b.batchSize;
    this.receiveAhead = b.receiveAhead >= 0 ? b.receiveAhead : this.pollers * b.batchSize;
    this.waitTime = b.waitTime;
    this.visibilityTimeout = b.visibilityTimeout;
    this.maxHandlingTime = b.maxHandlingTime;
    this.maxAttempts = b.maxAttempts;
    this.backoff =
        b.backoff != null ? b.backoff : BackoffPolicy.exponential(b.backoffBase, b.backoffCap);
    this.shutdownGrace = b.shutdownGrace;
    this.ackFlushInterval = b.ackFlushInterval;
    this.latencyBuckets = b.latencyBuckets;
    this.serviceLevels = b.serviceLevels();
    this.workerId = b.workerId != null ? b.workerId : defaultWorkerId();
    this.nonRetryable = List.copyOf(b.nonRetryable);
    this.largePayloadBucket = b.largePayloadBucket;
    this.largePayloadDelete = b.largePayloadDelete;
    this.source = source.copy();
  }

  /** A builder with every option at its default. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding this configuration's values, to derive a changed copy. */
  public Builder toBuilder() {
    return source.copy();
  }

  /** The URL of the queue to consume. */
  public String queueUrl() {
    return queueUrl;
  }

  /**
   * The URL of the dead-letter queue; when empty the worker uses the queue's {@code RedrivePolicy}
   * target and fails at start if there is none.
   */
  public Optional<String> dlqUrl() {
    return Optional.ofNullable(dlqUrl);
  }

  /** How many messages are handled at once, at most. */
  public int concurrency() {
    return concurrency;
  }

  /** How many receive loops run at once. */
  public int pollers() {
    return pollers;
  }

  /**
   * The most messages received beyond the free handler slots, for slots expected to free within one
   * receive round trip; 0 when the worker never receives ahead.
   */
  public int receiveAhead() {
    return receiveAhead;
  }

  /** The most messages one receive asks for. */
  public int batchSize() {
    return batchSize;
  }

  /** The long-poll wait of a receive. */
  public Duration waitTime() {
    return waitTime;
  }

  /** The visibility timeout requested on receive and granted by each extension. */
  public Duration visibilityTimeout() {
    return visibilityTimeout;
  }

  /** The longest a handler may keep a message; its visibility is not extended beyond it. */
  public Duration maxHandlingTime() {
    return maxHandlingTime;
  }

  /** The most attempts a message gets before it is dead-lettered as exhausted. */
  public int maxAttempts() {
    return maxAttempts;
  }

  /** The delay before a failed message's next attempt. */
  public BackoffPolicy backoff() {
    return backoff;
  }

  /** How long shutdown waits for running handlers. */
  public Duration shutdownGrace() {
    return shutdownGrace;
  }

  /** The longest a partial batch of deletions waits before it is sent. */
  public Duration ackFlushInterval() {
    return ackFlushInterval;
  }

  /**
   * Bucket boundaries of the latency histograms, ascending: cumulative buckets ({@code _bucket}
   * series) can be summed across tasks, unlike client-side quantiles.
   */
  public List<Duration> latencyBuckets() {
    return latencyBuckets;
  }

  /** The service level objectives whose SLIs, error budgets and burn rates the worker publishes. */
  public ServiceLevels serviceLevels() {
    return serviceLevels;
  }

  /** This worker instance's id, recorded in failure reasons and idempotency leases. */
  public String workerId() {
    return workerId;
  }

  /** Exception types that are not retried (besides {@link NonRetryableException}). */
  public List<Class<? extends Throwable>> nonRetryableExceptions() {
    return nonRetryable;
  }

  /**
   * The bucket whose large payloads the worker resolves: messages carrying an Amazon SQS Extended
   * Client Library pointer into it reach the handler as the original body; empty: off (pointers
   * reach the handler as they are).
   */
  public Optional<String> largePayloadBucket() {
    return Optional.ofNullable(largePayloadBucket);
  }

  /**
   * Whether a large payload's S3 object is deleted once its message succeeded (default false: the
   * bucket's lifecycle expires it, and other consumers of the same object keep it).
   */
  public boolean largePayloadDelete() {
    return largePayloadDelete;
  }

  /** Whether the queue is a FIFO queue (its URL ends in {@code .fifo}). */
  public boolean fifo() {
    return queueUrl.endsWith(".fifo");
  }

  /** The queue's name: the last part of its URL. */
  public String queueName() {
    return queueUrl.substring(queueUrl.lastIndexOf('/') + 1);
  }

  /**
   * Two receives' worth of messages per handler slot in flight: one batch per five slots (with
   * batches of ten), so the receives that refill the slots overlap the handlers that free them.
   */
  private static int defaultPollers(int concurrency, int batchSize) {
    return Math.max(1, Math.min(16, (2 * concurrency + batchSize - 1) / batchSize));
  }

  private static String defaultWorkerId() {
    return ManagementFactory.getRuntimeMXBean().getName();
  }

  @Override
  public String toString() {
    return "WorkerConfig{queue="
        + queueUrl
        + ", dlq="
        + dlqUrl
        + ", concurrency="
        + concurrency
        + ", pollers="
        + pollers
        + ", receiveAhead="
        + receiveAhead
        + ", visibilityTimeout="
        + visibilityTimeout
        + ", maxAttempts="
        + maxAttempts
        + ", workerId="
        + workerId
        + "}";
  }

  /** Builds a {@link WorkerConfig}. Not thread-safe. */
  public static final class Builder {
    private String queueUrl;
    private String dlqUrl;
    private int concurrency = DEFAULT_CONCURRENCY;
    private int pollers;
    private int receiveAhead = -1;
    private int batchSize = DEFAULT_BATCH_SIZE;
    private Duration waitTime = DEFAULT_WAIT_TIME;
    private Duration visibilityTimeout = DEFAULT_VISIBILITY_TIMEOUT;
    private Duration maxHandlingTime = DEFAULT_MAX_HANDLING_TIME;
    private int maxAttempts = DEFAULT_MAX_ATTEMPTS;
    private Duration backoffBase = DEFAULT_BACKOFF_BASE;
    private Duration backoffCap = DEFAULT_BACKOFF_CAP;
    private BackoffPolicy backoff;
    private Duration shutdownGrace = DEFAULT_SHUTDOWN_GRACE;
    private Duration ackFlushInterval = DEFAULT_ACK_FLUSH_INTERVAL;
    private List<Duration> latencyBuckets = DEFAULT_LATENCY_BUCKETS;
    private double sloSuccess = ServiceLevels.DEFAULT.successObjective();
    private double sloLatency = ServiceLevels.DEFAULT.latencyObjective();
    private Duration sloThreshold = ServiceLevels.DEFAULT.latencyThreshold();
    private Duration sloWindow = ServiceLevels.DEFAULT.window();
    private String workerId;
    private List<Class<? extends Throwable>> nonRetryable = new ArrayList<>();
    private String largePayloadBucket;
    private boolean largePayloadDelete;
    private Map<String, String> environment = Map.of();

    private Builder() {}

    private Builder copy() {
      Builder b = new Builder();
      b.queueUrl = queueUrl;
      b.dlqUrl = dlqUrl;
      b.concurrency = concurrency;
      b.pollers = pollers;
      b.receiveAhead = receiveAhead;
      b.batchSize = batchSize;
      b.waitTime = waitTime;
      b.visibilityTimeout = visibilityTimeout;
      b.maxHandlingTime = maxHandlingTime;
      b.maxAttempts = maxAttempts;
      b.backoffBase = backoffBase;
      b.backoffCap = backoffCap;
      b.backoff = backoff;
      b.shutdownGrace = shutdownGrace;
      b.ackFlushInterval = ackFlushInterval;
      b.latencyBuckets = latencyBuckets;
      b.sloSuccess = sloSuccess;
      b.sloLatency = sloLatency;
      b.sloThreshold = sloThreshold;
      b.sloWindow = sloWindow;
      b.workerId = workerId;
      b.nonRetryable = new ArrayList<>(nonRetryable);
      b.largePayloadBucket = largePayloadBucket;
      b.largePayloadDelete = largePayloadDelete;
      b.environment = environment;
      return b;
    }

    /** The queue to consume ({@code SQSWORKER_QUEUE_URL}); required. */
    public Builder queueUrl(String queueUrl) {
      this.queueUrl = requireUrl("queueUrl", queueUrl);
      return this;
    }

    /** The dead-letter queue ({@code SQSWORKER_DLQ_URL}); default: the RedrivePolicy target. */
    public Builder dlqUrl(String dlqUrl) {
      this.dlqUrl = dlqUrl == null ? null : requireUrl("dlqUrl", dlqUrl);
      return this;
    }

    /** Messages handled at once ({@code SQSWORKER_CONCURRENCY}); 1 to 10,000, default 10. */
    public Builder concurrency(int concurrency) {
      this.concurrency = requireRange("concurrency", concurrency, 1, MAX_CONCURRENCY);
      return this;
    }

    /**
     * Receive loops ({@code SQSWORKER_POLLERS}); 0 means one per five handler slots (two per batch
     * size of slots), at most 16.
     */
    public Builder pollers(int pollers) {
      this.pollers = requireRange("pollers", pollers, 0, 100);
      return this;
    }

    /**
     * The most messages received beyond the free handler slots ({@code SQSWORKER_RECEIVE_AHEAD}); 0
     * to 10,000, default one batch per poller. The pollers receive ahead only as many messages as
     * the handlers are expected to finish within one receive round trip (their completion rate
     * times the round trip), so a freed slot is refilled at once and a message waits for its slot
     * about one round trip at most. 0: never more messages than free slots.
     */
    public Builder receiveAhead(int receiveAhead) {
      this.receiveAhead = requireRange("receiveAhead", receiveAhead, 0, MAX_CONCURRENCY);
      return this;
    }

    /** Messages asked for per receive ({@code SQSWORKER_BATCH_SIZE}); 1 to 10, default 10. */
    public Builder batchSize(int batchSize) {
      this.batchSize = requireRange("batchSize", batchSize, 1, 10);
      return this;
    }

    /** Long-poll wait ({@code SQSWORKER_WAIT_TIME}); whole seconds, 0 to 20 s, default 20 s. */
    public Builder waitTime(Duration waitTime) {
      this.waitTime =
          requireWholeSeconds("waitTime", waitTime, Duration.ZERO, Duration.ofSeconds(20));
      return this;
    }

    /**
     * Visibility timeout per receive and extension ({@code SQSWORKER_VISIBILITY_TIMEOUT}); whole
     * seconds, 1 s to 12 h, default 30 s.
     */
    public Builder visibilityTimeout(Duration visibilityTimeout) {
      this.visibilityTimeout =
          requireWholeSeconds(
              "visibilityTimeout", visibilityTimeout, Duration.ofSeconds(1), SQS_MAX_VISIBILITY);
      return this;
    }

    /**
     * Longest a handler may keep a message ({@code SQSWORKER_MAX_HANDLING_TIME}); up to 12 h,
     * default 1 h.
     */
    public Builder maxHandlingTime(Duration maxHandlingTime) {
      this.maxHandlingTime =
          requireBetween(
              "maxHandlingTime", maxHandlingTime, Duration.ofSeconds(1), SQS_MAX_VISIBILITY);
      return this;
    }

    /** Attempts before dead-lettering ({@code SQSWORKER_MAX_ATTEMPTS}); 1 to 1,000, default 5. */
    public Builder maxAttempts(int maxAttempts) {
      this.maxAttempts = requireRange("maxAttempts", maxAttempts, 1, 1000);
      return this;
    }

    /**
     * Base of the exponential retry backoff ({@code SQSWORKER_BACKOFF_BASE}); default 1 s. Ignored
     * when a {@link #backoff(BackoffPolicy)} is set.
     */
    public Builder backoffBase(Duration backoffBase) {
      this.backoffBase =
          requireBetween("backoffBase", backoffBase, Duration.ofMillis(1), SQS_MAX_VISIBILITY);
      return this;
    }

    /** Cap of the exponential retry backoff ({@code SQSWORKER_BACKOFF_CAP}); default 15 min. */
    public Builder backoffCap(Duration backoffCap) {
      this.backoffCap =
          requireBetween("backoffCap", backoffCap, Duration.ofMillis(1), SQS_MAX_VISIBILITY);
      return this;
    }

    /** A custom backoff policy, replacing the exponential one. */
    public Builder backoff(BackoffPolicy backoff) {
      this.backoff = Objects.requireNonNull(backoff, "backoff");
      return this;
    }

    /** Shutdown grace ({@code SQSWORKER_SHUTDOWN_GRACE}); 0 to 1 h, default 25 s. */
    public Builder shutdownGrace(Duration shutdownGrace) {
      this.shutdownGrace =
          requireBetween("shutdownGrace", shutdownGrace, Duration.ZERO, Duration.ofHours(1));
      return this;
    }

    /**
     * Longest wait before a partial batch of deletions is sent ({@code
     * SQSWORKER_ACK_FLUSH_INTERVAL}); 1 ms to 10 s, default 50 ms.
     */
    public Builder ackFlushInterval(Duration ackFlushInterval) {
      this.ackFlushInterval =
          requireBetween(
              "ackFlushInterval", ackFlushInterval, Duration.ofMillis(1), Duration.ofSeconds(10));
      return this;
    }

    /**
     * Bucket boundaries of the latency histograms ({@code SQSWORKER_LATENCY_BUCKETS}, e.g. {@code
     * 10ms,100ms,1s,2s,10s}): 1 to 50 distinct durations from 1 ms to 12 h, sorted here; default
     * {@link #DEFAULT_LATENCY_BUCKETS}.
     */
    public Builder latencyBuckets(List<Duration> buckets) {
      Objects.requireNonNull(buckets, "latencyBuckets");
      java.util.TreeSet<Duration> sorted = new java.util.TreeSet<>();
      for (Duration bucket : buckets) {
        sorted.add(
            requireBetween(
                "latencyBuckets element", bucket, Duration.ofMillis(1), SQS_MAX_VISIBILITY));
      }
      if (sorted.isEmpty() || sorted.size() > 50) {
        throw new IllegalArgumentException(
            "latencyBuckets must have 1 to 50 distinct durations, had " + sorted.size());
      }
      this.latencyBuckets = List.copyOf(sorted);
      return this;
    }

    /**
     * The service level objectives ({@code SQSWORKER_SLO_SUCCESS}, e.g. {@code 99.9%}; {@code
     * SQSWORKER_SLO_LATENCY}, e.g. {@code 99%}; {@code SQSWORKER_SLO_LATENCY_THRESHOLD}, e.g.
     * {@code 2s}; {@code SQSWORKER_SLO_WINDOW}, e.g. {@code 30d}); default {@link
     * ServiceLevels#DEFAULT}.
     */
    public Builder serviceLevels(ServiceLevels serviceLevels) {
      Objects.requireNonNull(serviceLevels, "serviceLevels");
      this.sloSuccess = serviceLevels.successObjective();
      this.sloLatency = serviceLevels.latencyObjective();
      this.sloThreshold = serviceLevels.latencyThreshold();
      this.sloWindow = serviceLevels.window();
      return this;
    }

    private ServiceLevels serviceLevels() {
      return new ServiceLevels(sloSuccess, sloThreshold, sloLatency, sloWindow);
    }

    private void latencyBucketList(String text) {
      List<Duration> buckets = new ArrayList<>();
      for (String part : text.split(",")) {
        if (!part.isBlank()) {
          buckets.add(Durations.parse(part.trim()));
        }
      }
      latencyBuckets(buckets);
    }

    /**
     * Resolves large payloads stored in this bucket ({@code SQSWORKER_LARGE_PAYLOAD_BUCKET}); the
     * worker then needs an S3 client ({@code Worker.builder().s3Client(...)}). Null turns it off.
     */
    public Builder largePayloadBucket(String bucket) {
      if (bucket != null && !bucket.matches("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]")) {
        throw new IllegalArgumentException(
            "largePayloadBucket must be an S3 bucket name (3 to 63 lower-case letters, digits,"
                + " dots and hyphens), was '"
                + bucket
                + "'");
      }
      this.largePayloadBucket = bucket;
      return this;
    }

    /**
     * Deletes a large payload's S3 object once its message succeeded ({@code
     * SQSWORKER_LARGE_PAYLOAD_DELETE}, {@code true} or {@code false}); default false.
     */
    public Builder largePayloadDelete(boolean delete) {
      this.largePayloadDelete = delete;
      return this;
    }

    private static boolean parseBoolean(String option, String value) {
      return switch (value.trim().toLowerCase(java.util.Locale.ROOT)) {
        case "true" -> true;
        case "false" -> false;
        default ->
            throw new IllegalArgumentException(
                option + " must be true or false, was '" + value + "'");
      };
    }

    /** This instance's id ({@code SQSWORKER_WORKER_ID}); default: pid@host. */
    public Builder workerId(String workerId) {
      if (workerId == null || workerId.isBlank() || workerId.length() > 128) {
        throw new IllegalArgumentException(
            "workerId must be 1 to 128 characters, was '" + workerId + "'");
      }
      this.workerId = workerId;
      return this;
    }

    /**
     * Exception types that go straight to the dead-letter queue ({@code
     * SQSWORKER_NON_RETRYABLE_EXCEPTIONS}, comma-separated class names); subclasses count too.
     */
    @SafeVarargs
    public final Builder nonRetryableExceptions(Class<? extends Throwable>... types) {
      for (Class<? extends Throwable> type : types) {
        nonRetryable.add(Objects.requireNonNull(type, "nonRetryableExceptions element"));
      }
      return this;
    }

    /**
     * Reads the options from these environment variables ({@code SQSWORKER_*}) when the
     * configuration is built. A variable that is present overrides the option's value in code,
     * whether that was set before or after this call; an absent one leaves it as it is. Every
     * invalid value is reported by {@link #build()}, together, naming the variable.
     */
    public Builder environment(Map<String, String> env) {
      this.environment = Map.copyOf(Objects.requireNonNull(env, "env"));
      return this;
    }

    /** Applies the variables that are set; returns the invalid ones' problems. */
    private List<String> applyEnvironment(Map<String, String> env) {
      List<String> problems = new ArrayList<>();
      VARIABLES.forEach(
          (name, setter) -> apply(env, name, problems, value -> setter.accept(this, value)));
      return problems;
    }

    /**
     * Checks the options together and builds the configuration.
     *
     * @throws ConfigurationException listing every problem
     */
    public WorkerConfig build() {
      if (!environment.isEmpty()) {
        Builder effective = copy();
        effective.environment = Map.of();
        // The variables that parsed are applied, so the checks below still find what is missing.
        return effective.buildChecked(this, effective.applyEnvironment(environment));
      }
      return buildChecked(this, new ArrayList<>());
    }

    private WorkerConfig buildChecked(Builder source, List<String> problems) {
      if (queueUrl == null) {
        problems.add("queueUrl (SQSWORKER_QUEUE_URL) is required");
      }
      if (backoff == null && backoffCap.compareTo(backoffBase) < 0) {
        problems.add(
            "backoffCap (" + backoffCap + ") must be at least backoffBase (" + backoffBase + ")");
      }
      if (maxHandlingTime.compareTo(visibilityTimeout) < 0) {
        problems.add(
            "maxHandlingTime ("
                + maxHandlingTime
                + ") must be at least visibilityTimeout ("
                + visibilityTimeout
                + ")");
      }
      if (queueUrl != null && dlqUrl != null && queueUrl.equals(dlqUrl)) {
        problems.add("dlqUrl must differ from queueUrl, both were " + queueUrl);
      }
      if (queueUrl != null
          && dlqUrl != null
          && queueUrl.endsWith(".fifo") != dlqUrl.endsWith(".fifo")) {
        problems.add(
            "dlqUrl must be a FIFO queue exactly when queueUrl is one: queue "
                + queueUrl
                + ", dlq "
                + dlqUrl);
      }
      try {
        serviceLevels();
      } catch (IllegalArgumentException e) {
        problems.add(e.getMessage());
      }
      if (!problems.isEmpty()) {
        throw new ConfigurationException(problems);
      }
      return new WorkerConfig(this, source);
    }

    private void nonRetryableClassNames(String names) {
      ClassLoader loader = Thread.currentThread().getContextClassLoader();
      for (String raw : names.split(",")) {
        String name = raw.trim();
        if (name.isEmpty()) {
          continue;
        }
        Class<?> type;
        try {
          type = Class.forName(name, false, loader);
        } catch (ClassNotFoundException e) {
          throw new IllegalArgumentException("no class named '" + name + "'", e);
        }
        if (!Throwable.class.isAssignableFrom(type)) {
          throw new IllegalArgumentException("'" + name + "' is not an exception type");
        }
        nonRetryable.add(type.asSubclass(Throwable.class));
      }
    }

    private static void apply(
        Map<String, String> env, String name, List<String> problems, Consumer<String> setter) {
      String value = env.get(name);
      if (value == null || value.isBlank()) {
        return;
      }
      try {
        setter.accept(value.trim());
      } catch (RuntimeException e) {
        problems.add(name + ": " + e.getMessage());
      }
    }

    private static String requireUrl(String option, String value) {
      if (value == null || value.isBlank()) {
        throw new IllegalArgumentException(option + " must be a queue URL, was empty");
      }
      URI uri;
      try {
        uri = URI.create(value.trim());
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(option + " must be a queue URL, was '" + value + "'", e);
      }
      if (uri.getScheme() == null
          || !(uri.getScheme().equals("http") || uri.getScheme().equals("https"))
          || uri.getHost() == null
          || uri.getPath() == null
          || uri.getPath().length() < 2) {
        throw new IllegalArgumentException(
            option
                + " must be a queue URL like https://sqs.REGION.amazonaws.com/ACCOUNT/NAME, was '"
                + value
                + "'");
      }
      return value.trim();
    }

    private static Duration requireWholeSeconds(
        String option, Duration value, Duration min, Duration max) {
      requireBetween(option, value, min, max);
      if (value.toMillis() % 1000 != 0) {
        throw new IllegalArgumentException(
            option + " must be whole seconds (SQS counts in seconds), was " + value);
      }
      return value;
    }
  }
}
