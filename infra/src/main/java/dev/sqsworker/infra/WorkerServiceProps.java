package dev.sqsworker.infra;

import dev.sqsworker.infra.internal.FargateSizes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import software.amazon.awscdk.Token;
import software.amazon.awscdk.services.logs.RetentionDays;

/**
 * Everything that varies between two deployed workers: immutable, validated when built. Setters
 * reject out-of-range values with a message that names the option; {@link Builder#build()} checks
 * required options and the rules that tie several options together (the stop timeout within
 * Fargate's limit, min tasks not above max tasks).
 *
 * <p>The worker-facing values ({@code concurrency}, {@code maxAttempts}, {@code visibilityTimeout},
 * {@code shutdownGrace}, {@code httpPort}, the JDBC settings, the artifact prefix) reach the
 * container as {@code SQSWORKER_*} environment variables; the rest shapes the AWS resources.
 *
 * <p>With {@link Builder#queue(WorkerQueue)} the service consumes several queues, one worker each;
 * the queue-level options ({@code handlerClass}, {@code concurrency}, {@code maxAttempts}, ...) set
 * here are then the default of every queue that does not set its own.
 */
public final class WorkerServiceProps {

  /** Default handler concurrency per task. */
  public static final int DEFAULT_CONCURRENCY = 10;

  /** Default number of attempts the worker makes before it dead-letters a message itself. */
  public static final int DEFAULT_MAX_ATTEMPTS = 5;

  /**
   * Default margin of SQS's own redrive above {@code maxAttempts}, the one the worker recommends at
   * start: the queue's {@code maxReceiveCount} is {@code maxAttempts + redriveMargin}, a backstop
   * for messages the worker could not dead-letter itself, with room for the receives that run
   * nothing (one release per run; on a FIFO queue up to a batch of ten less one per run, behind a
   * failing message of the group) and for one failed dead-letter send. 6 for the default 5 attempts
   * (maxReceiveCount 11), 46 on FIFO (51); never past SQS's 1,000.
   */
  public static int defaultRedriveMargin(int maxAttempts, boolean fifo) {
    long releases = fifo ? 9L * maxAttempts : maxAttempts;
    return (int) Math.min(1000L - maxAttempts, releases + 1);
  }

  /** Default visibility timeout of the queue and the worker. */
  public static final Duration DEFAULT_VISIBILITY_TIMEOUT = Duration.ofSeconds(30);

  /** Default retention of the source queue (the dead-letter queue keeps messages 14 days). */
  public static final Duration DEFAULT_MESSAGE_RETENTION = Duration.ofDays(4);

  /** Default time the worker drains in-flight messages after SIGTERM. */
  public static final Duration DEFAULT_SHUTDOWN_GRACE = Duration.ofSeconds(25);

  /** Default time ECS waits beyond the shutdown grace before it sends SIGKILL. */
  public static final Duration DEFAULT_STOP_TIMEOUT_MARGIN = Duration.ofSeconds(5);

  /** Fargate's maximum container stop timeout. */
  public static final Duration MAX_STOP_TIMEOUT = Duration.ofSeconds(120);

  /** Default port of the worker's health and metrics server. */
  public static final int DEFAULT_HTTP_PORT = 8080;

  /** Default key prefix of the worker's artifacts in its bucket. */
  public static final String DEFAULT_ARTIFACT_PREFIX = "artifacts/";

  /** Default days after which a noncurrent artifact version expires. */
  public static final int DEFAULT_NONCURRENT_VERSION_EXPIRATION_DAYS = 30;

  /** Default Fargate task CPU units (0.5 vCPU). */
  public static final int DEFAULT_CPU = 512;

  /** Default Fargate task memory in MiB. */
  public static final int DEFAULT_MEMORY_MIB = 1024;

  /** Default minimum number of running tasks. */
  public static final int DEFAULT_MIN_TASKS = 1;

  /** Default maximum number of running tasks. */
  public static final int DEFAULT_MAX_TASKS = 4;

  /** Default visible messages per running task that scaling aims at. */
  public static final int DEFAULT_TARGET_BACKLOG_PER_TASK = 100;

  /** Default wait after a scale-out before the next one. */
  public static final Duration DEFAULT_SCALE_OUT_COOLDOWN = Duration.ofSeconds(60);

  /** Default wait after a scale-in before the next one. */
  public static final Duration DEFAULT_SCALE_IN_COOLDOWN = Duration.ofSeconds(300);

  /** Default age of the oldest source-queue message that raises the backlog-age alarm. */
  public static final Duration DEFAULT_OLDEST_MESSAGE_ALARM_AGE = Duration.ofMinutes(15);

  /** Default number of messages added to the DLQ in 5 minutes that raises the growth alarm. */
  public static final int DEFAULT_DEAD_LETTER_GROWTH_THRESHOLD = 5;

  /** Default retention of the worker's log group. */
  public static final RetentionDays DEFAULT_LOG_RETENTION = RetentionDays.ONE_MONTH;

  /**
   * Most queues one service consumes. The scaling policy and the scale-from-zero alarm sum the
   * queues' visible messages in one metric math expression, and a CloudWatch alarm on metric math
   * takes at most 10 metrics: 8 queues, the running tasks, and the expression.
   */
  public static final int MAX_QUEUES = 8;

  private static final Pattern WORKER_NAME = Pattern.compile("[a-z](?:[a-z0-9-]{0,29}[a-z0-9])?");
  private static final Pattern CLASS_NAME =
      Pattern.compile("(?:[A-Za-z_$][A-Za-z0-9_$]*\\.)*[A-Za-z_$][A-Za-z0-9_$]*");
  private static final Pattern QUEUE_NAME = Pattern.compile("[A-Za-z0-9_-]{1,71}");
  private static final Pattern SECRET_ARN =
      Pattern.compile(
          "arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\\d{12}:secret:[A-Za-z0-9/_+=.@-]+-[A-Za-z0-9]{6}");
  private static final Pattern ARTIFACT_PREFIX = Pattern.compile("(?:[A-Za-z0-9!_.'()-]+/)+");

  private final String workerName;
  private final WorkerImage image;
  private final String handlerClass;
  private final String jdbcUrl;
  private final String jdbcUser;
  private final String dbPasswordSecretArn;
  private final Optional<String> dbPasswordSecretField;
  private final Optional<String> queueName;
  private final boolean fifo;
  private final int concurrency;
  private final int maxAttempts;
  private final Integer redriveMargin;
  private final Duration visibilityTimeout;
  private final Duration messageRetention;
  private final Duration shutdownGrace;
  private final Duration stopTimeoutMargin;
  private final int httpPort;
  private final List<String> healthCheckCommand;
  private final String artifactPrefix;
  private final ArtifactEncryption artifactEncryption;
  private final int noncurrentVersionExpirationDays;
  private final int cpu;
  private final int memoryMiB;
  private final CpuArchitecture cpuArchitecture;
  private final int minTasks;
  private final int maxTasks;
  private final int targetBacklogPerTask;
  private final Duration scaleOutCooldown;
  private final Duration scaleInCooldown;
  private final RetentionDays logRetention;
  private final boolean taskScaleInProtection;
  private final Duration oldestMessageAlarmAge;
  private final int deadLetterGrowthThreshold;
  private final boolean dashboard;
  private final List<WorkerQueue> queues;

  private WorkerServiceProps(Builder b) {
    workerName = b.workerName;
    image = b.image;
    handlerClass = b.handlerClass;
    jdbcUrl = b.jdbcUrl;
    jdbcUser = b.jdbcUser;
    dbPasswordSecretArn = b.dbPasswordSecretArn;
    dbPasswordSecretField = Optional.ofNullable(b.dbPasswordSecretField);
    queueName = Optional.ofNullable(b.queueName);
    fifo = b.fifo;
    concurrency = b.concurrency;
    maxAttempts = b.maxAttempts;
    redriveMargin = b.redriveMargin;
    visibilityTimeout = b.visibilityTimeout;
    messageRetention = b.messageRetention;
    shutdownGrace = b.shutdownGrace;
    stopTimeoutMargin = b.stopTimeoutMargin;
    httpPort = b.httpPort;
    healthCheckCommand =
        b.healthCheckCommand == null ? defaultHealthCheck(b.httpPort) : b.healthCheckCommand;
    artifactPrefix = b.artifactPrefix;
    artifactEncryption = b.artifactEncryption;
    noncurrentVersionExpirationDays = b.noncurrentVersionExpirationDays;
    cpu = b.cpu;
    memoryMiB = b.memoryMiB;
    cpuArchitecture = b.cpuArchitecture;
    minTasks = b.minTasks;
    maxTasks = b.maxTasks;
    targetBacklogPerTask = b.targetBacklogPerTask;
    scaleOutCooldown = b.scaleOutCooldown;
    scaleInCooldown = b.scaleInCooldown;
    logRetention = b.logRetention;
    taskScaleInProtection = b.taskScaleInProtection;
    oldestMessageAlarmAge = b.oldestMessageAlarmAge;
    deadLetterGrowthThreshold = b.deadLetterGrowthThreshold;
    dashboard = b.dashboard;
    queues = List.copyOf(b.queues);
  }

  /**
   * The default container health check: an HTTP GET of {@code /health/live} on the worker's port
   * with {@code curl}, falling back to {@code wget} (Temurin's images up to 21 ship curl, from 22
   * on only wget). It needs a shell in the image; for a distroless image set {@link
   * Builder#healthCheckCommand} to an exec form the image supports.
   */
  static List<String> defaultHealthCheck(int port) {
    var url = "http://localhost:" + port + "/health/live";
    return List.of(
        "CMD-SHELL",
        "curl -fsS -o /dev/null " + url + " || wget -q -O /dev/null " + url + " || exit 1");
  }

  /** A builder with every option at its default; the required ones must still be set. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding these props, to derive a variant. */
  public Builder toBuilder() {
    return new Builder(this);
  }

  /** Short name of the worker, unique in its stack: construct ids, log stream prefix, queues. */
  public String workerName() {
    return workerName;
  }

  /** The container image. */
  public WorkerImage image() {
    return image;
  }

  /**
   * Fully qualified class name of the worker's {@code MessageHandler}; with {@link #queues()}, the
   * handler of every queue that names none itself, and {@code null} when each does.
   */
  public String handlerClass() {
    return handlerClass;
  }

  /** JDBC URL of the worker's PostgreSQL database. */
  public String jdbcUrl() {
    return jdbcUrl;
  }

  /** Database user. */
  public String jdbcUser() {
    return jdbcUser;
  }

  /**
   * Complete ARN (with its six-character suffix) of the Secrets Manager secret with the password.
   */
  public String dbPasswordSecretArn() {
    return dbPasswordSecretArn;
  }

  /** JSON key of the password inside the secret (e.g. {@code password} for RDS); empty: whole. */
  public Optional<String> dbPasswordSecretField() {
    return dbPasswordSecretField;
  }

  /** Explicit source queue name (without {@code .fifo}); empty: {@code <stack>-<worker>}. */
  public Optional<String> queueName() {
    return queueName;
  }

  /** Whether the queues are FIFO queues. */
  public boolean fifo() {
    return fifo;
  }

  /** Handler concurrency per task. */
  public int concurrency() {
    return concurrency;
  }

  /** Attempts the worker makes before it dead-letters a message itself. */
  public int maxAttempts() {
    return maxAttempts;
  }

  /**
   * How far SQS's redrive {@code maxReceiveCount} lies above {@link #maxAttempts()}: the one set,
   * else {@link #defaultRedriveMargin(int, boolean)}.
   */
  public int redriveMargin() {
    return redriveMargin != null ? redriveMargin : defaultRedriveMargin(maxAttempts, fifo);
  }

  /** The margin set explicitly, if any (the queues of a several-queue service default to it). */
  public Optional<Integer> explicitRedriveMargin() {
    return Optional.ofNullable(redriveMargin);
  }

  /** The queue's {@code maxReceiveCount}: {@code maxAttempts + redriveMargin}. */
  public int maxReceiveCount() {
    return maxAttempts + redriveMargin();
  }

  /** Visibility timeout of the queue and the worker. */
  public Duration visibilityTimeout() {
    return visibilityTimeout;
  }

  /** Retention of the source queue. */
  public Duration messageRetention() {
    return messageRetention;
  }

  /** Time the worker drains after SIGTERM. */
  public Duration shutdownGrace() {
    return shutdownGrace;
  }

  /** Time ECS waits beyond the shutdown grace before SIGKILL. */
  public Duration stopTimeoutMargin() {
    return stopTimeoutMargin;
  }

  /** The container's stop timeout: {@code shutdownGrace + stopTimeoutMargin}, at most 120 s. */
  public Duration stopTimeout() {
    return shutdownGrace.plus(stopTimeoutMargin);
  }

  /** Port of the worker's health and metrics server. */
  public int httpPort() {
    return httpPort;
  }

  /** The container health check command, in ECS's form ({@code CMD-SHELL, ...} or {@code CMD}). */
  public List<String> healthCheckCommand() {
    return healthCheckCommand;
  }

  /** Key prefix of the worker's artifacts, ending in {@code /}; the task role is limited to it. */
  public String artifactPrefix() {
    return artifactPrefix;
  }

  /** Default encryption of the artifact bucket. */
  public ArtifactEncryption artifactEncryption() {
    return artifactEncryption;
  }

  /** Days after which a noncurrent artifact version expires. */
  public int noncurrentVersionExpirationDays() {
    return noncurrentVersionExpirationDays;
  }

  /** Fargate task CPU units. */
  public int cpu() {
    return cpu;
  }

  /** Fargate task memory in MiB. */
  public int memoryMiB() {
    return memoryMiB;
  }

  /** CPU architecture of the tasks. */
  public CpuArchitecture cpuArchitecture() {
    return cpuArchitecture;
  }

  /** Minimum running tasks (at least 1: backlog per task is undefined with none running). */
  public int minTasks() {
    return minTasks;
  }

  /** Maximum running tasks. */
  public int maxTasks() {
    return maxTasks;
  }

  /** Visible messages per running task that scaling aims at. */
  public int targetBacklogPerTask() {
    return targetBacklogPerTask;
  }

  /** Wait after a scale-out. */
  public Duration scaleOutCooldown() {
    return scaleOutCooldown;
  }

  /** Wait after a scale-in. */
  public Duration scaleInCooldown() {
    return scaleInCooldown;
  }

  /** Retention of the worker's log group. */
  public RetentionDays logRetention() {
    return logRetention;
  }

  /**
   * Whether the task role may set ECS task scale-in protection on its own tasks, which the worker
   * does while messages are in flight so a scale-in never stops a busy task.
   */
  public boolean taskScaleInProtection() {
    return taskScaleInProtection;
  }

  /** Age of the oldest source-queue message that raises the backlog-age alarm. */
  public Duration oldestMessageAlarmAge() {
    return oldestMessageAlarmAge;
  }

  /** Messages added to the dead-letter queue within 5 minutes that raise the growth alarm. */
  public int deadLetterGrowthThreshold() {
    return deadLetterGrowthThreshold;
  }

  /** Whether the service gets a CloudWatch dashboard of its own. */
  public boolean dashboard() {
    return dashboard;
  }

  /**
   * The queues of the several-queues form, one worker each ({@code SQSWORKER_WORKERS}), in the
   * order given; empty for the single-queue form, where the service consumes one queue.
   */
  public List<WorkerQueue> queues() {
    return queues;
  }

  /** Whether the service consumes several queues ({@link #queues()} is not empty). */
  public boolean multiQueue() {
    return !queues.isEmpty();
  }

  /** Builds {@link WorkerServiceProps}; each setter validates its own value. */
  public static final class Builder {
    private String workerName;
    private WorkerImage image;
    private String handlerClass;
    private String jdbcUrl;
    private String jdbcUser;
    private String dbPasswordSecretArn;
    private String dbPasswordSecretField;
    private String queueName;
    private boolean fifo;
    private int concurrency = DEFAULT_CONCURRENCY;
    private int maxAttempts = DEFAULT_MAX_ATTEMPTS;
    private Integer redriveMargin;
    private Duration visibilityTimeout = DEFAULT_VISIBILITY_TIMEOUT;
    private Duration messageRetention = DEFAULT_MESSAGE_RETENTION;
    private Duration shutdownGrace = DEFAULT_SHUTDOWN_GRACE;
    private Duration stopTimeoutMargin = DEFAULT_STOP_TIMEOUT_MARGIN;
    private int httpPort = DEFAULT_HTTP_PORT;
    private List<String> healthCheckCommand;
    private String artifactPrefix = DEFAULT_ARTIFACT_PREFIX;
    private ArtifactEncryption artifactEncryption = ArtifactEncryption.S3_MANAGED;
    private int noncurrentVersionExpirationDays = DEFAULT_NONCURRENT_VERSION_EXPIRATION_DAYS;
    private int cpu = DEFAULT_CPU;
    private int memoryMiB = DEFAULT_MEMORY_MIB;
    private CpuArchitecture cpuArchitecture = CpuArchitecture.X86_64;
    private int minTasks = DEFAULT_MIN_TASKS;
    private int maxTasks = DEFAULT_MAX_TASKS;
    private int targetBacklogPerTask = DEFAULT_TARGET_BACKLOG_PER_TASK;
    private Duration scaleOutCooldown = DEFAULT_SCALE_OUT_COOLDOWN;
    private Duration scaleInCooldown = DEFAULT_SCALE_IN_COOLDOWN;
    private RetentionDays logRetention = DEFAULT_LOG_RETENTION;
    private boolean taskScaleInProtection = true;
    private Duration oldestMessageAlarmAge = DEFAULT_OLDEST_MESSAGE_ALARM_AGE;
    private int deadLetterGrowthThreshold = DEFAULT_DEAD_LETTER_GROWTH_THRESHOLD;
    private boolean dashboard;
    private final List<WorkerQueue> queues = new ArrayList<>();

    private Builder() {}

    private Builder(WorkerServiceProps p) {
      workerName = p.workerName;
      image = p.image;
      handlerClass = p.handlerClass;
      jdbcUrl = p.jdbcUrl;
      jdbcUser = p.jdbcUser;
      dbPasswordSecretArn = p.dbPasswordSecretArn;
      dbPasswordSecretField = p.dbPasswordSecretField.orElse(null);
      queueName = p.queueName.orElse(null);
      fifo = p.fifo;
      concurrency = p.concurrency;
      maxAttempts = p.maxAttempts;
      redriveMargin = p.redriveMargin;
      visibilityTimeout = p.visibilityTimeout;
      messageRetention = p.messageRetention;
      shutdownGrace = p.shutdownGrace;
      stopTimeoutMargin = p.stopTimeoutMargin;
      httpPort = p.httpPort;
      healthCheckCommand =
          p.healthCheckCommand.equals(defaultHealthCheck(p.httpPort)) ? null : p.healthCheckCommand;
      artifactPrefix = p.artifactPrefix;
      artifactEncryption = p.artifactEncryption;
      noncurrentVersionExpirationDays = p.noncurrentVersionExpirationDays;
      cpu = p.cpu;
      memoryMiB = p.memoryMiB;
      cpuArchitecture = p.cpuArchitecture;
      minTasks = p.minTasks;
      maxTasks = p.maxTasks;
      targetBacklogPerTask = p.targetBacklogPerTask;
      scaleOutCooldown = p.scaleOutCooldown;
      scaleInCooldown = p.scaleInCooldown;
      logRetention = p.logRetention;
      taskScaleInProtection = p.taskScaleInProtection;
      oldestMessageAlarmAge = p.oldestMessageAlarmAge;
      deadLetterGrowthThreshold = p.deadLetterGrowthThreshold;
      dashboard = p.dashboard;
      queues.addAll(p.queues);
    }

    /** Required: 1 to 31 lower-case letters, digits and '-', from a letter, not ending in '-'. */
    public Builder workerName(String value) {
      requireMatch(
          "workerName",
          value,
          WORKER_NAME,
          "1 to 31 lower-case letters, digits and '-', starting with a letter, not ending in '-'");
      workerName = value;
      return this;
    }

    /** Required: the container image. */
    public Builder image(WorkerImage value) {
      image = Objects.requireNonNull(value, "image must not be null");
      return this;
    }

    /** Required: fully qualified class name of the handler. */
    public Builder handlerClass(String value) {
      requireMatch("handlerClass", value, CLASS_NAME, "a fully qualified Java class name");
      handlerClass = value;
      return this;
    }

    /** Required: JDBC URL ({@code jdbc:postgresql://host:5432/db}). */
    public Builder jdbcUrl(String value) {
      requireNonBlank("jdbcUrl", value);
      if (!value.startsWith("jdbc:")) {
        throw new IllegalArgumentException("jdbcUrl must start with 'jdbc:', was '" + value + "'");
      }
      jdbcUrl = value;
      return this;
    }

    /** Required: database user. */
    public Builder jdbcUser(String value) {
      requireNonBlank("jdbcUser", value);
      jdbcUser = value;
      return this;
    }

    /**
     * Required: complete ARN of the secret holding the database password. A complete ARN (with the
     * random six-character suffix) lets the execution role's policy name exactly this secret; a
     * bare name would need a {@code -??????} wildcard. A CDK token (the ARN of a secret defined in
     * the same app) is accepted as it is.
     */
    public Builder dbPasswordSecretArn(String value) {
      requireNonBlank("dbPasswordSecretArn", value);
      if (Token.isUnresolved(value)) {
        dbPasswordSecretArn = value;
        return this;
      }
      requireMatch(
          "dbPasswordSecretArn",
          value,
          SECRET_ARN,
          "a complete Secrets Manager ARN ending in the six-character suffix");
      dbPasswordSecretArn = value;
      return this;
    }

    /** Optional: JSON key of the password in the secret; {@code null} uses the whole value. */
    public Builder dbPasswordSecretField(String value) {
      if (value != null) {
        requireNonBlank("dbPasswordSecretField", value);
      }
      dbPasswordSecretField = value;
      return this;
    }

    /**
     * Optional: the source queue's name without {@code .fifo}, at most 71 characters (the dead
     * letter queue adds {@code -dlq}, FIFO {@code .fifo}); {@code null} derives {@code <stack
     * name>-<worker name>}.
     */
    public Builder queueName(String value) {
      if (value != null) {
        requireMatch("queueName", value, QUEUE_NAME, "1 to 71 letters, digits, '-' or '_'");
      }
      queueName = value;
      return this;
    }

    /** Whether the queues are FIFO; default false. */
    public Builder fifo(boolean value) {
      fifo = value;
      return this;
    }

    /** Handler concurrency per task, 1 to 1000; default 10. */
    public Builder concurrency(int value) {
      requireRange("concurrency", value, 1, 1000);
      concurrency = value;
      return this;
    }

    /** Attempts before the worker dead-letters a message, 1 to 100; default 5. */
    public Builder maxAttempts(int value) {
      requireRange("maxAttempts", value, 1, 100);
      maxAttempts = value;
      return this;
    }

    /**
     * SQS redrive margin above maxAttempts, 1 to 999; default {@link #defaultRedriveMargin(int,
     * boolean)} (6 for 5 attempts, 46 on FIFO).
     */
    public Builder redriveMargin(int value) {
      requireRange("redriveMargin", value, 1, 999);
      redriveMargin = value;
      return this;
    }

    /** Visibility timeout, whole seconds from 1 s to 12 h; default 30 s. */
    public Builder visibilityTimeout(Duration value) {
      requireSeconds("visibilityTimeout", value, Duration.ofSeconds(1), Duration.ofHours(12));
      visibilityTimeout = value;
      return this;
    }

    /** Source queue retention, whole seconds from 1 min to 14 days; default 4 days. */
    public Builder messageRetention(Duration value) {
      requireSeconds("messageRetention", value, Duration.ofMinutes(1), Duration.ofDays(14));
      messageRetention = value;
      return this;
    }

    /** Drain time after SIGTERM, whole seconds from 1 s to 119 s; default 25 s. */
    public Builder shutdownGrace(Duration value) {
      requireSeconds(
          "shutdownGrace", value, Duration.ofSeconds(1), MAX_STOP_TIMEOUT.minusSeconds(1));
      shutdownGrace = value;
      return this;
    }

    /** Wait beyond the grace before SIGKILL, whole seconds from 1 s to 60 s; default 5 s. */
    public Builder stopTimeoutMargin(Duration value) {
      requireSeconds("stopTimeoutMargin", value, Duration.ofSeconds(1), Duration.ofSeconds(60));
      stopTimeoutMargin = value;
      return this;
    }

    /** Health and metrics port, 1 to 65535; default 8080. */
    public Builder httpPort(int value) {
      requireRange("httpPort", value, 1, 65535);
      httpPort = value;
      return this;
    }

    /**
     * Optional: the container health check in ECS's form, starting with {@code CMD} or {@code
     * CMD-SHELL}; {@code null} uses the curl-or-wget check of {@code /health/live}.
     */
    public Builder healthCheckCommand(List<String> value) {
      if (value != null) {
        var copy = List.copyOf(value);
        if (copy.size() < 2 || !(copy.get(0).equals("CMD") || copy.get(0).equals("CMD-SHELL"))) {
          throw new IllegalArgumentException(
              "healthCheckCommand must start with CMD or CMD-SHELL and have a command, was "
                  + value);
        }
        healthCheckCommand = copy;
      } else {
        healthCheckCommand = null;
      }
      return this;
    }

    /** Artifact key prefix, path segments each ending in '/', e.g. {@code artifacts/}. */
    public Builder artifactPrefix(String value) {
      requireMatch(
          "artifactPrefix",
          value,
          ARTIFACT_PREFIX,
          "path segments of letters, digits and !_.'()- each ending in '/'");
      if (value.length() > 512) {
        throw new IllegalArgumentException(
            "artifactPrefix must be at most 512 characters, was " + value.length());
      }
      artifactPrefix = value;
      return this;
    }

    /** Default bucket encryption; default SSE-S3. */
    public Builder artifactEncryption(ArtifactEncryption value) {
      artifactEncryption = Objects.requireNonNull(value, "artifactEncryption must not be null");
      return this;
    }

    /** Days until a noncurrent artifact version expires, 1 to 3650; default 30. */
    public Builder noncurrentVersionExpirationDays(int value) {
      requireRange("noncurrentVersionExpirationDays", value, 1, 3650);
      noncurrentVersionExpirationDays = value;
      return this;
    }

    /** Task CPU units, one of Fargate's sizes (256 to 16384); default 512. */
    public Builder cpu(int value) {
      FargateSizes.requireCpu(value);
      cpu = value;
      return this;
    }

    /** Task memory in MiB, checked against the CPU size in {@link #build()}; default 1024. */
    public Builder memoryMiB(int value) {
      requireRange("memoryMiB", value, 512, 122880);
      memoryMiB = value;
      return this;
    }

    /** CPU architecture of the tasks; default X86_64. The image must be built for it. */
    public Builder cpuArchitecture(CpuArchitecture value) {
      cpuArchitecture = Objects.requireNonNull(value, "cpuArchitecture must not be null");
      return this;
    }

    /**
     * Minimum running tasks, 0 to 1000; default 1. With 0 the service scales to zero when the queue
     * is empty and a step-scaling policy starts one task as soon as a message is visible.
     */
    public Builder minTasks(int value) {
      requireRange("minTasks", value, 0, 1000);
      minTasks = value;
      return this;
    }

    /** Maximum running tasks, 1 to 1000, not below minTasks; default 4. */
    public Builder maxTasks(int value) {
      requireRange("maxTasks", value, 1, 1000);
      maxTasks = value;
      return this;
    }

    /** Visible messages per task that scaling aims at, 1 to 100000; default 100. */
    public Builder targetBacklogPerTask(int value) {
      requireRange("targetBacklogPerTask", value, 1, 100_000);
      targetBacklogPerTask = value;
      return this;
    }

    /** Wait after a scale-out, whole seconds from 0 to 1 h; default 60 s. */
    public Builder scaleOutCooldown(Duration value) {
      requireSeconds("scaleOutCooldown", value, Duration.ZERO, Duration.ofHours(1));
      scaleOutCooldown = value;
      return this;
    }

    /** Wait after a scale-in, whole seconds from 0 to 1 h; default 300 s. */
    public Builder scaleInCooldown(Duration value) {
      requireSeconds("scaleInCooldown", value, Duration.ZERO, Duration.ofHours(1));
      scaleInCooldown = value;
      return this;
    }

    /** Log group retention; default one month. */
    public Builder logRetention(RetentionDays value) {
      logRetention = Objects.requireNonNull(value, "logRetention must not be null");
      return this;
    }

    /**
     * Age of the source queue's oldest message that raises the backlog-age alarm, whole minutes
     * from 1 min to 14 days; default 15 min.
     */
    public Builder oldestMessageAlarmAge(Duration value) {
      requireSeconds("oldestMessageAlarmAge", value, Duration.ofMinutes(1), Duration.ofDays(14));
      if (value.toSeconds() % 60 != 0) {
        throw new IllegalArgumentException(
            "oldestMessageAlarmAge must be whole minutes, was " + value);
      }
      oldestMessageAlarmAge = value;
      return this;
    }

    /**
     * Messages added to the dead-letter queue within 5 minutes that raise the growth alarm, 1 to
     * 100000; default 5. The alarm on any message in the DLQ stays as well.
     */
    public Builder deadLetterGrowthThreshold(int value) {
      requireRange("deadLetterGrowthThreshold", value, 1, 100_000);
      deadLetterGrowthThreshold = value;
      return this;
    }

    /** Whether to create a CloudWatch dashboard for the service; default false. */
    public Builder dashboard(boolean value) {
      dashboard = value;
      return this;
    }

    /**
     * Adds a queue: the service then consumes several queues in one task, one worker per queue
     * ({@code SQSWORKER_WORKERS}), each with its own dead-letter queue, alarms and task-role
     * statements, and scales on their summed backlog per task. Options the queue does not set are
     * this builder's. At most {@link #MAX_QUEUES}; the single-queue {@code queueName} does not
     * apply then.
     */
    public Builder queue(WorkerQueue value) {
      queues.add(Objects.requireNonNull(value, "queue must not be null"));
      return this;
    }

    /** Replaces the queues with {@code values} (empty: the single-queue form). */
    public Builder queues(List<WorkerQueue> values) {
      var copy = List.copyOf(values);
      queues.clear();
      queues.addAll(copy);
      return this;
    }

    /** Whether the task role may set scale-in protection on its own tasks; default true. */
    public Builder taskScaleInProtection(boolean value) {
      taskScaleInProtection = value;
      return this;
    }

    /**
     * Validates the required options and the rules across options, and returns the props.
     *
     * @throws IllegalArgumentException listing every problem found, each naming its option
     */
    public WorkerServiceProps build() {
      var problems = new ArrayList<String>();
      requirePresent(problems, "workerName", workerName);
      requirePresent(problems, "image", image);
      if (queues.isEmpty()) {
        requirePresent(problems, "handlerClass", handlerClass);
      } else {
        queueProblems(problems);
      }
      requirePresent(problems, "jdbcUrl", jdbcUrl);
      requirePresent(problems, "jdbcUser", jdbcUser);
      requirePresent(problems, "dbPasswordSecretArn", dbPasswordSecretArn);
      var stopTimeout = shutdownGrace.plus(stopTimeoutMargin);
      if (stopTimeout.compareTo(MAX_STOP_TIMEOUT) > 0) {
        problems.add(
            "shutdownGrace + stopTimeoutMargin must be at most "
                + MAX_STOP_TIMEOUT.toSeconds()
                + " s (Fargate's maximum stop timeout), was "
                + stopTimeout.toSeconds()
                + " s");
      }
      if (minTasks > maxTasks) {
        problems.add(
            "minTasks must not exceed maxTasks, was minTasks="
                + minTasks
                + " maxTasks="
                + maxTasks);
      }
      FargateSizes.memoryProblem(cpu, memoryMiB).ifPresent(problems::add);
      if (!problems.isEmpty()) {
        throw new IllegalArgumentException(
            "invalid worker service props"
                + (workerName == null ? "" : " for '" + workerName + "'")
                + ": "
                + String.join("; ", problems));
      }
      return new WorkerServiceProps(this);
    }

    private void queueProblems(List<String> problems) {
      if (queues.size() > MAX_QUEUES) {
        problems.add("queues must be at most " + MAX_QUEUES + ", was " + queues.size());
      }
      if (queueName != null) {
        problems.add(
            "queueName applies to the single-queue form; with queues set it on each queue");
      }
      var names = new java.util.HashSet<String>();
      for (var queue : queues) {
        if (!names.add(queue.name())) {
          problems.add("queue '" + queue.name() + "' is named twice");
        }
        if (queue.handlerClass().isEmpty() && handlerClass == null) {
          problems.add(
              "queue '"
                  + queue.name()
                  + "': handlerClass is required (on the queue or the service)");
        }
      }
    }

    private static void requirePresent(List<String> problems, String name, Object value) {
      if (value == null) {
        problems.add(name + " is required");
      }
    }

    private static void requireNonBlank(String name, String value) {
      if (value == null || value.isBlank()) {
        throw new IllegalArgumentException(name + " must not be blank");
      }
    }

    private static void requireMatch(String name, String value, Pattern pattern, String what) {
      requireNonBlank(name, value);
      if (!pattern.matcher(value).matches()) {
        throw new IllegalArgumentException(name + " must be " + what + ", was '" + value + "'");
      }
    }

    private static void requireRange(String name, int value, int min, int max) {
      if (value < min || value > max) {
        throw new IllegalArgumentException(
            name + " must be between " + min + " and " + max + ", was " + value);
      }
    }

    private static void requireSeconds(String name, Duration value, Duration min, Duration max) {
      Objects.requireNonNull(value, name + " must not be null");
      if (value.compareTo(min) < 0 || value.compareTo(max) > 0) {
        throw new IllegalArgumentException(
            name + " must be between " + min + " and " + max + ", was " + value);
      }
      if (value.toMillis() % 1000 != 0) {
        throw new IllegalArgumentException(name + " must be whole seconds, was " + value);
      }
    }
  }
}
