package dev.sqsworker.infra;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * One of several queues a {@link WorkerService} consumes in the same task: the worker named {@link
 * #name()} of {@code SQSWORKER_WORKERS}, with its own source queue, dead-letter queue, alarms and
 * task-role statements. Immutable, validated when built.
 *
 * <p>An option left unset here is the service's ({@link WorkerServiceProps}): set {@code
 * concurrency(20)} on the service and every queue without a concurrency of its own gets 20, as the
 * worker process falls back from {@code SQSWORKER_<NAME>_<OPTION>} to {@code SQSWORKER_<OPTION>}.
 */
public final class WorkerQueue {

  /**
   * The worker process's rule for worker names: a lower-case letter, then up to 29 lower-case
   * letters, digits or '-'.
   */
  private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9-]{0,29}");

  private static final Pattern CLASS_NAME =
      Pattern.compile("(?:[A-Za-z_$][A-Za-z0-9_$]*\\.)*[A-Za-z_$][A-Za-z0-9_$]*");
  private static final Pattern QUEUE_NAME = Pattern.compile("[A-Za-z0-9_-]{1,71}");

  /**
   * The worker process's own {@code SQSWORKER_*} variables. A worker named {@code jdbc} would read
   * {@code SQSWORKER_JDBC_URL} as its option {@code URL}: the process refuses such a name at start,
   * so the props refuse it at synthesis.
   */
  private static final java.util.List<String> PROCESS_VARIABLES =
      java.util.List.of(
          "SQSWORKER_ACK_FLUSH_INTERVAL",
          "SQSWORKER_ARTIFACT_BUCKET",
          "SQSWORKER_ARTIFACT_PREFIX",
          "SQSWORKER_BACKOFF_BASE",
          "SQSWORKER_BACKOFF_CAP",
          "SQSWORKER_BATCH_SIZE",
          "SQSWORKER_CONCURRENCY",
          "SQSWORKER_DLQ_URL",
          "SQSWORKER_DOWNSTREAM_",
          "SQSWORKER_HANDLER_CLASS",
          "SQSWORKER_HTTP_PORT",
          "SQSWORKER_IDEMPOTENCY_KEY_ATTRIBUTE",
          "SQSWORKER_IDEMPOTENCY_TTL",
          "SQSWORKER_JDBC_PASSWORD",
          "SQSWORKER_JDBC_POOL_SIZE",
          "SQSWORKER_JDBC_URL",
          "SQSWORKER_JDBC_USER",
          "SQSWORKER_LATENCY_BUCKETS",
          "SQSWORKER_LOG_LEVEL",
          "SQSWORKER_MAX_ATTEMPTS",
          "SQSWORKER_MAX_HANDLING_TIME",
          "SQSWORKER_NON_RETRYABLE_EXCEPTIONS",
          "SQSWORKER_QUEUE_URL",
          "SQSWORKER_RECEIVE_AHEAD",
          "SQSWORKER_SCALE_IN_PROTECTION",
          "SQSWORKER_SHUTDOWN_GRACE",
          "SQSWORKER_SLO_LATENCY_THRESHOLD",
          "SQSWORKER_SLO_SUCCESS",
          "SQSWORKER_SLO_WINDOW",
          "SQSWORKER_VISIBILITY_TIMEOUT",
          "SQSWORKER_WAIT_TIME",
          "SQSWORKER_WORKER_ID");

  private final String name;
  private final Optional<String> handlerClass;
  private final Optional<String> queueName;
  private final Optional<Boolean> fifo;
  private final Optional<Integer> concurrency;
  private final Optional<Integer> maxAttempts;
  private final Optional<Integer> redriveMargin;
  private final Optional<Duration> visibilityTimeout;
  private final Optional<Duration> messageRetention;
  private final Optional<Duration> oldestMessageAlarmAge;
  private final Optional<Integer> deadLetterGrowthThreshold;

  private WorkerQueue(Builder b) {
    name = b.name;
    handlerClass = Optional.ofNullable(b.handlerClass);
    queueName = Optional.ofNullable(b.queueName);
    fifo = Optional.ofNullable(b.fifo);
    concurrency = Optional.ofNullable(b.concurrency);
    maxAttempts = Optional.ofNullable(b.maxAttempts);
    redriveMargin = Optional.ofNullable(b.redriveMargin);
    visibilityTimeout = Optional.ofNullable(b.visibilityTimeout);
    messageRetention = Optional.ofNullable(b.messageRetention);
    oldestMessageAlarmAge = Optional.ofNullable(b.oldestMessageAlarmAge);
    deadLetterGrowthThreshold = Optional.ofNullable(b.deadLetterGrowthThreshold);
  }

  /**
   * A builder for the queue of worker {@code name}.
   *
   * @param name the worker's name in {@code SQSWORKER_WORKERS} (e.g. {@code refunds}): a lower-case
   *     letter, then up to 29 lower-case letters, digits or '-'
   */
  public static Builder builder(String name) {
    return new Builder(name);
  }

  /**
   * The worker's name in {@code SQSWORKER_WORKERS}; its variables are {@code SQSWORKER_<NAME>_*}.
   */
  public String name() {
    return name;
  }

  /** The name as it appears in variables: {@code refunds-eu} → {@code REFUNDS_EU}. */
  public String variableName() {
    return name.toUpperCase(java.util.Locale.ROOT).replace('-', '_');
  }

  /** The handler class; empty: the service's. */
  public Optional<String> handlerClass() {
    return handlerClass;
  }

  /** Explicit source queue name (without {@code .fifo}); empty: {@code <stack>-<worker>-<name>}. */
  public Optional<String> queueName() {
    return queueName;
  }

  /** Whether the queue is FIFO; empty: the service's. */
  public Optional<Boolean> fifo() {
    return fifo;
  }

  /** Handler concurrency per task; empty: the service's. */
  public Optional<Integer> concurrency() {
    return concurrency;
  }

  /** Attempts before the worker dead-letters a message; empty: the service's. */
  public Optional<Integer> maxAttempts() {
    return maxAttempts;
  }

  /** Margin of SQS's redrive above {@code maxAttempts}; empty: the service's. */
  public Optional<Integer> redriveMargin() {
    return redriveMargin;
  }

  /** Visibility timeout of the queue and its worker; empty: the service's. */
  public Optional<Duration> visibilityTimeout() {
    return visibilityTimeout;
  }

  /** Retention of the source queue; empty: the service's. */
  public Optional<Duration> messageRetention() {
    return messageRetention;
  }

  /** Age of the oldest message that raises this queue's backlog-age alarm; empty: the service's. */
  public Optional<Duration> oldestMessageAlarmAge() {
    return oldestMessageAlarmAge;
  }

  /** Dead letters within 5 minutes that raise this queue's growth alarm; empty: the service's. */
  public Optional<Integer> deadLetterGrowthThreshold() {
    return deadLetterGrowthThreshold;
  }

  /**
   * Builds a {@link WorkerQueue}. Each setter validates its value with the same rule as the
   * service's option of the same name.
   */
  public static final class Builder {
    private final String name;
    private String handlerClass;
    private String queueName;
    private Boolean fifo;
    private Integer concurrency;
    private Integer maxAttempts;
    private Integer redriveMargin;
    private Duration visibilityTimeout;
    private Duration messageRetention;
    private Duration oldestMessageAlarmAge;
    private Integer deadLetterGrowthThreshold;

    private Builder(String name) {
      if (name == null || !NAME.matcher(name).matches()) {
        throw new IllegalArgumentException(
            "queue name must be a lower-case letter, then up to 29 lower-case letters, digits or"
                + " '-', was '"
                + name
                + "'");
      }
      if (name.endsWith("-")) {
        throw new IllegalArgumentException("queue name must not end in '-', was '" + name + "'");
      }
      var start = "SQSWORKER_" + name.toUpperCase(java.util.Locale.ROOT).replace('-', '_') + "_";
      if (PROCESS_VARIABLES.stream().anyMatch(v -> v.startsWith(start))) {
        throw new IllegalArgumentException(
            "queue name '"
                + name
                + "' would make "
                + start
                + "* read as another option of the worker process; choose another name");
      }
      this.name = name;
    }

    /** The handler class for this queue; default: the service's {@code handlerClass}. */
    public Builder handlerClass(String value) {
      if (value == null || !CLASS_NAME.matcher(value).matches()) {
        throw new IllegalArgumentException(
            prefix()
                + "handlerClass must be a fully qualified Java class name, was '"
                + value
                + "'");
      }
      handlerClass = value;
      return this;
    }

    /** The source queue's name without {@code .fifo}, at most 71 characters. */
    public Builder queueName(String value) {
      if (value == null || !QUEUE_NAME.matcher(value).matches()) {
        throw new IllegalArgumentException(
            prefix()
                + "queueName must be 1 to 71 letters, digits, '-' or '_', was '"
                + value
                + "'");
      }
      queueName = value;
      return this;
    }

    /** Whether this queue is FIFO; default: the service's. */
    public Builder fifo(boolean value) {
      fifo = value;
      return this;
    }

    /** Handler concurrency per task, 1 to 1000; default: the service's. */
    public Builder concurrency(int value) {
      concurrency = range("concurrency", value, 1, 1000);
      return this;
    }

    /** Attempts before the worker dead-letters a message, 1 to 100; default: the service's. */
    public Builder maxAttempts(int value) {
      maxAttempts = range("maxAttempts", value, 1, 100);
      return this;
    }

    /** SQS redrive margin above maxAttempts, 1 to 10; default: the service's. */
    public Builder redriveMargin(int value) {
      redriveMargin = range("redriveMargin", value, 1, 999);
      return this;
    }

    /** Visibility timeout, whole seconds from 1 s to 12 h; default: the service's. */
    public Builder visibilityTimeout(Duration value) {
      visibilityTimeout =
          seconds("visibilityTimeout", value, Duration.ofSeconds(1), Duration.ofHours(12));
      return this;
    }

    /** Source queue retention, whole seconds from 1 min to 14 days; default: the service's. */
    public Builder messageRetention(Duration value) {
      messageRetention =
          seconds("messageRetention", value, Duration.ofMinutes(1), Duration.ofDays(14));
      return this;
    }

    /** Backlog-age alarm threshold, whole minutes from 1 min to 14 days; default: the service's. */
    public Builder oldestMessageAlarmAge(Duration value) {
      seconds("oldestMessageAlarmAge", value, Duration.ofMinutes(1), Duration.ofDays(14));
      if (value.toSeconds() % 60 != 0) {
        throw new IllegalArgumentException(
            prefix() + "oldestMessageAlarmAge must be whole minutes, was " + value);
      }
      oldestMessageAlarmAge = value;
      return this;
    }

    /** Dead letters within 5 minutes that raise the growth alarm, 1 to 100000. */
    public Builder deadLetterGrowthThreshold(int value) {
      deadLetterGrowthThreshold = range("deadLetterGrowthThreshold", value, 1, 100_000);
      return this;
    }

    /** The queue. */
    public WorkerQueue build() {
      return new WorkerQueue(this);
    }

    private String prefix() {
      return "queue '" + name + "': ";
    }

    private int range(String option, int value, int min, int max) {
      if (value < min || value > max) {
        throw new IllegalArgumentException(
            prefix() + option + " must be between " + min + " and " + max + ", was " + value);
      }
      return value;
    }

    private Duration seconds(String option, Duration value, Duration min, Duration max) {
      Objects.requireNonNull(value, prefix() + option + " must not be null");
      if (value.compareTo(min) < 0 || value.compareTo(max) > 0) {
        throw new IllegalArgumentException(
            prefix() + option + " must be between " + min + " and " + max + ", was " + value);
      }
      if (value.toMillis() % 1000 != 0) {
        throw new IllegalArgumentException(
            prefix() + option + " must be whole seconds, was " + value);
      }
      return value;
    }
  }
}
