package dev.sqsworker.infra.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sqsworker.infra.ArtifactEncryption;
import dev.sqsworker.infra.CpuArchitecture;
import dev.sqsworker.infra.WorkerImage;
import dev.sqsworker.infra.WorkerQueue;
import dev.sqsworker.infra.WorkerServiceProps;
import dev.sqsworker.infra.WorkerStackProps;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.function.Function;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.services.logs.RetentionDays;

/**
 * Reads the app's configuration from CDK context values and collects every problem before it fails,
 * each naming the key (and the worker) it is about.
 */
public final class ContextConfig {

  /** Every key a worker object may have; anything else is reported as unknown. */
  public static final Set<String> WORKER_KEYS =
      Set.of(
          "workerName",
          "image",
          "ecrRepository",
          "imageTag",
          "handlerClass",
          "jdbcUrl",
          "jdbcUser",
          "dbPasswordSecretArn",
          "dbPasswordSecretField",
          "queueName",
          "fifo",
          "concurrency",
          "maxAttempts",
          "redriveMargin",
          "visibilityTimeout",
          "messageRetention",
          "shutdownGrace",
          "stopTimeoutMargin",
          "httpPort",
          "healthCheckCommand",
          "artifactPrefix",
          "artifactEncryption",
          "noncurrentVersionExpirationDays",
          "cpu",
          "memoryMiB",
          "cpuArchitecture",
          "minTasks",
          "maxTasks",
          "targetBacklogPerTask",
          "scaleOutCooldown",
          "scaleInCooldown",
          "logRetention",
          "taskScaleInProtection",
          "oldestMessageAlarmAge",
          "deadLetterGrowthThreshold",
          "dashboard",
          "queues");

  /**
   * Every key a queue object of a worker's {@code queues} may have: {@code name} (required, the
   * worker's name in {@code SQSWORKER_WORKERS}) and the {@link WorkerQueue.Builder} options.
   */
  public static final Set<String> QUEUE_KEYS =
      Set.of(
          "name",
          "handlerClass",
          "queueName",
          "fifo",
          "concurrency",
          "maxAttempts",
          "redriveMargin",
          "visibilityTimeout",
          "messageRetention",
          "oldestMessageAlarmAge",
          "deadLetterGrowthThreshold");

  /** Every stack-level key the app reads. */
  public static final Set<String> STACK_KEYS =
      Set.of("config", "stackName", "vpcId", "clusterName", "maxAzs", "natGateways", "workers");

  private final Optional<String> stackName;
  private final Function<StackProps, WorkerStackProps> stackPropsFactory;

  private ContextConfig(
      Optional<String> stackName, Function<StackProps, WorkerStackProps> stackPropsFactory) {
    this.stackName = stackName;
    this.stackPropsFactory = stackPropsFactory;
  }

  /** The stack name from context, if set. */
  public Optional<String> stackName() {
    return stackName;
  }

  /** The worker stack props with the given stack-level CDK props. */
  public WorkerStackProps stackProps(StackProps stackProps) {
    return stackPropsFactory.apply(stackProps);
  }

  /**
   * Reads and validates the context.
   *
   * @param context looks up one context key, {@code null} when unset
   * @throws IllegalArgumentException listing every problem found
   */
  public static ContextConfig read(Function<String, Object> context) {
    var problems = new ArrayList<String>();
    var stackName = string(context.apply("stackName"), "stackName", problems);
    var vpcId = string(context.apply("vpcId"), "vpcId", problems);
    var clusterName = string(context.apply("clusterName"), "clusterName", problems);
    var maxAzs = integer(context.apply("maxAzs"), "maxAzs", problems);
    var natGateways = integer(context.apply("natGateways"), "natGateways", problems);
    var workers = new ArrayList<WorkerServiceProps>();
    var rawWorkers = workerList(context.apply("workers"), problems);
    for (int i = 0; i < rawWorkers.size(); i++) {
      worker(rawWorkers.get(i), i, problems).ifPresent(workers::add);
    }
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(
          "invalid CDK context for sqs-worker:\n  - " + String.join("\n  - ", problems));
    }
    Function<StackProps, WorkerStackProps> factory =
        stackProps -> {
          var builder = WorkerStackProps.builder().stackProps(stackProps);
          vpcId.ifPresent(builder::vpcId);
          clusterName.ifPresent(builder::clusterName);
          maxAzs.ifPresent(builder::maxAzs);
          natGateways.ifPresent(builder::natGateways);
          workers.forEach(builder::worker);
          return builder.build();
        };
    // Stack-level rules (distinct names, cluster needs VPC) are checked now, not at first use.
    try {
      factory.apply(StackProps.builder().build());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "invalid CDK context for sqs-worker: " + e.getMessage(), e);
    }
    return new ContextConfig(stackName, factory);
  }

  /**
   * Context that falls back to the keys of a JSON file: {@code -c config=prod.json} keeps a
   * deployment's workers in a file, and {@code -c key=value} still overrides a key of it.
   */
  public static Function<String, Object> withConfigFile(Function<String, Object> context) {
    var file = context.apply("config");
    if (file == null) {
      return context;
    }
    var path = Path.of(String.valueOf(file));
    Map<?, ?> values;
    try {
      values = new ObjectMapper().readValue(Files.readString(path), Map.class);
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "config must name a readable JSON file of context keys, was '"
              + path.toAbsolutePath()
              + "': "
              + e.getMessage(),
          e);
    }
    return key -> {
      var value = context.apply(key);
      return value != null ? value : values.get(key);
    };
  }

  private static List<Map<?, ?>> workerList(Object raw, List<String> problems) {
    if (raw == null) {
      problems.add(
          "workers is required: a list of worker objects (see docs/deploy-ecs.md), as context"
              + " in cdk.json or a JSON string with -c workers=...");
      return List.of();
    }
    Object value = raw;
    if (raw instanceof String json) {
      try {
        value = new ObjectMapper().readValue(json, List.class);
      } catch (JsonProcessingException e) {
        problems.add("workers must be a JSON list of objects: " + e.getOriginalMessage());
        return List.of();
      }
    }
    if (!(value instanceof List<?> list)) {
      problems.add("workers must be a list of objects, was " + raw);
      return List.of();
    }
    var result = new ArrayList<Map<?, ?>>();
    for (int i = 0; i < list.size(); i++) {
      if (list.get(i) instanceof Map<?, ?> map) {
        result.add(map);
      } else {
        problems.add("workers[" + i + "] must be an object, was " + list.get(i));
      }
    }
    return result;
  }

  private static Optional<WorkerServiceProps> worker(
      Map<?, ?> raw, int index, List<String> problems) {
    var name = raw.get("workerName");
    var where = "workers[" + index + "]" + (name == null ? "" : " (" + name + ")");
    var unknown = new TreeSet<String>();
    for (var key : raw.keySet()) {
      if (!WORKER_KEYS.contains(String.valueOf(key))) {
        unknown.add(String.valueOf(key));
      }
    }
    if (!unknown.isEmpty()) {
      problems.add(where + ": unknown keys " + unknown);
    }
    var b = WorkerServiceProps.builder();
    var local = new ArrayList<String>();
    setString(raw, "workerName", b::workerName, local);
    setString(raw, "handlerClass", b::handlerClass, local);
    setString(raw, "jdbcUrl", b::jdbcUrl, local);
    setString(raw, "jdbcUser", b::jdbcUser, local);
    setString(raw, "dbPasswordSecretArn", b::dbPasswordSecretArn, local);
    setString(raw, "dbPasswordSecretField", b::dbPasswordSecretField, local);
    setString(raw, "queueName", b::queueName, local);
    setString(raw, "artifactPrefix", b::artifactPrefix, local);
    setImage(raw, b, local);
    setBoolean(raw, "fifo", b::fifo, local);
    setBoolean(raw, "taskScaleInProtection", b::taskScaleInProtection, local);
    setBoolean(raw, "dashboard", b::dashboard, local);
    setInt(raw, "deadLetterGrowthThreshold", b::deadLetterGrowthThreshold, local);
    setDuration(raw, "oldestMessageAlarmAge", b::oldestMessageAlarmAge, local);
    setInt(raw, "concurrency", b::concurrency, local);
    setInt(raw, "maxAttempts", b::maxAttempts, local);
    setInt(raw, "redriveMargin", b::redriveMargin, local);
    setInt(raw, "httpPort", b::httpPort, local);
    setInt(raw, "noncurrentVersionExpirationDays", b::noncurrentVersionExpirationDays, local);
    setInt(raw, "cpu", b::cpu, local);
    setInt(raw, "memoryMiB", b::memoryMiB, local);
    setInt(raw, "minTasks", b::minTasks, local);
    setInt(raw, "maxTasks", b::maxTasks, local);
    setInt(raw, "targetBacklogPerTask", b::targetBacklogPerTask, local);
    setDuration(raw, "visibilityTimeout", b::visibilityTimeout, local);
    setDuration(raw, "messageRetention", b::messageRetention, local);
    setDuration(raw, "shutdownGrace", b::shutdownGrace, local);
    setDuration(raw, "stopTimeoutMargin", b::stopTimeoutMargin, local);
    setDuration(raw, "scaleOutCooldown", b::scaleOutCooldown, local);
    setDuration(raw, "scaleInCooldown", b::scaleInCooldown, local);
    set(
        raw,
        "artifactEncryption",
        v -> b.artifactEncryption(enumValue(ArtifactEncryption.class, v)),
        local);
    set(raw, "cpuArchitecture", v -> b.cpuArchitecture(enumValue(CpuArchitecture.class, v)), local);
    set(raw, "logRetention", v -> b.logRetention(enumValue(RetentionDays.class, v)), local);
    set(raw, "queues", v -> b.queues(queues(v, local)), local);
    set(
        raw,
        "healthCheckCommand",
        v -> {
          if (!(v instanceof List<?> list)) {
            throw new IllegalArgumentException("must be a list of strings");
          }
          b.healthCheckCommand(list.stream().map(String::valueOf).toList());
        },
        local);
    // build() also runs after a bad value, so a missing required option is reported with it.
    Optional<WorkerServiceProps> props = Optional.empty();
    try {
      props = Optional.of(b.build());
    } catch (IllegalArgumentException e) {
      local.add(e.getMessage());
    }
    local.forEach(problem -> problems.add(where + ": " + problem));
    return local.isEmpty() ? props : Optional.empty();
  }

  /**
   * The several-queues form: a list of queue objects, each a {@link WorkerQueue}. Problems name the
   * queue by index and name ({@code queues[1] (refunds): ...}); queues with problems are left out.
   */
  private static List<WorkerQueue> queues(Object value, List<String> problems) {
    if (!(value instanceof List<?> list)) {
      throw new IllegalArgumentException("must be a list of queue objects");
    }
    var queues = new ArrayList<WorkerQueue>();
    for (int i = 0; i < list.size(); i++) {
      if (!(list.get(i) instanceof Map<?, ?> raw)) {
        problems.add("queues[" + i + "] must be an object, was " + list.get(i));
        continue;
      }
      var name = raw.get("name");
      var where = "queues[" + i + "]" + (name == null ? "" : " (" + name + ")");
      var local = new ArrayList<String>();
      var unknown = new TreeSet<String>();
      for (var key : raw.keySet()) {
        if (!QUEUE_KEYS.contains(String.valueOf(key))) {
          unknown.add(String.valueOf(key));
        }
      }
      if (!unknown.isEmpty()) {
        local.add("unknown keys " + unknown);
      }
      WorkerQueue.Builder q = null;
      if (name == null) {
        local.add("name is required: the worker's name in SQSWORKER_WORKERS, e.g. refunds");
      } else {
        try {
          q = WorkerQueue.builder(String.valueOf(name));
        } catch (IllegalArgumentException e) {
          local.add(e.getMessage());
        }
      }
      if (q != null) {
        var b = q;
        setString(raw, "handlerClass", b::handlerClass, local);
        setString(raw, "queueName", b::queueName, local);
        setBoolean(raw, "fifo", b::fifo, local);
        setInt(raw, "concurrency", b::concurrency, local);
        setInt(raw, "maxAttempts", b::maxAttempts, local);
        setInt(raw, "redriveMargin", b::redriveMargin, local);
        setInt(raw, "deadLetterGrowthThreshold", b::deadLetterGrowthThreshold, local);
        setDuration(raw, "visibilityTimeout", b::visibilityTimeout, local);
        setDuration(raw, "messageRetention", b::messageRetention, local);
        setDuration(raw, "oldestMessageAlarmAge", b::oldestMessageAlarmAge, local);
      }
      // The queue's own messages name it already ("queue 'refunds': ..."): drop that part.
      var own = "queue '" + name + "': ";
      local.forEach(
          p -> problems.add(where + ": " + (p.startsWith(own) ? p.substring(own.length()) : p)));
      if (local.isEmpty() && q != null) {
        queues.add(q.build());
      }
    }
    return queues;
  }

  private static void setImage(Map<?, ?> raw, WorkerServiceProps.Builder b, List<String> local) {
    var image = raw.get("image");
    var repository = raw.get("ecrRepository");
    var tag = raw.get("imageTag");
    try {
      if (image != null && repository == null && tag == null) {
        b.image(WorkerImage.fromName(String.valueOf(image)));
      } else if (image == null && repository != null && tag != null) {
        b.image(WorkerImage.fromEcr(String.valueOf(repository), String.valueOf(tag)));
      } else {
        local.add("image: set either image, or ecrRepository and imageTag");
      }
    } catch (IllegalArgumentException e) {
      local.add(e.getMessage());
    }
  }

  private static <E extends Enum<E>> E enumValue(Class<E> type, Object value) {
    var name = String.valueOf(value).trim().toUpperCase(Locale.ROOT).replace('-', '_');
    for (var constant : type.getEnumConstants()) {
      if (constant.name().equals(name)) {
        return constant;
      }
    }
    throw new IllegalArgumentException(
        "must be one of " + java.util.Arrays.toString(type.getEnumConstants()));
  }

  private static void set(
      Map<?, ?> raw, String key, Consumer<Object> setter, List<String> problems) {
    var value = raw.get(key);
    if (value == null) {
      return;
    }
    try {
      setter.accept(value);
    } catch (IllegalArgumentException e) {
      var message = e.getMessage() == null ? "" : e.getMessage();
      problems.add(
          // A WorkerQueue's own message names its queue and option already.
          message.startsWith(key) || message.startsWith("queue '")
              ? message
              : key + ": " + message + " (was " + value + ")");
    }
  }

  private static void setString(
      Map<?, ?> raw, String key, Consumer<String> setter, List<String> problems) {
    set(raw, key, v -> setter.accept(String.valueOf(v)), problems);
  }

  private static void setBoolean(
      Map<?, ?> raw, String key, Consumer<Boolean> setter, List<String> problems) {
    set(
        raw,
        key,
        v -> {
          var text = String.valueOf(v);
          if (!text.equals("true") && !text.equals("false")) {
            throw new IllegalArgumentException("must be true or false");
          }
          setter.accept(Boolean.parseBoolean(text));
        },
        problems);
  }

  private static void setInt(
      Map<?, ?> raw, String key, Consumer<Integer> setter, List<String> problems) {
    set(raw, key, v -> setter.accept(toInt(v)), problems);
  }

  private static void setDuration(
      Map<?, ?> raw, String key, Consumer<Duration> setter, List<String> problems) {
    set(
        raw,
        key,
        v -> {
          try {
            setter.accept(Duration.parse(String.valueOf(v)));
          } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("must be an ISO-8601 duration such as PT30S", e);
          }
        },
        problems);
  }

  private static int toInt(Object value) {
    if (value instanceof Number number) {
      double d = number.doubleValue();
      if (d != Math.rint(d)) {
        throw new IllegalArgumentException("must be a whole number");
      }
      return (int) d;
    }
    try {
      return Integer.parseInt(String.valueOf(value).trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("must be a whole number", e);
    }
  }

  private static Optional<String> string(Object value, String key, List<String> problems) {
    if (value == null) {
      return Optional.empty();
    }
    var text = String.valueOf(value);
    if (text.isBlank()) {
      problems.add(key + " must not be blank");
      return Optional.empty();
    }
    return Optional.of(text);
  }

  private static Optional<Integer> integer(Object value, String key, List<String> problems) {
    if (value == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(toInt(value));
    } catch (IllegalArgumentException e) {
      problems.add(key + " must be a whole number, was " + value);
      return Optional.empty();
    }
  }
}
