package dev.sqsworker.app.internal;

import static dev.sqsworker.app.EnvironmentVariables.AWS_ACCESS_KEY_ID;
import static dev.sqsworker.app.EnvironmentVariables.AWS_ENDPOINT_URL;
import static dev.sqsworker.app.EnvironmentVariables.AWS_ENDPOINT_URL_S3;
import static dev.sqsworker.app.EnvironmentVariables.AWS_ENDPOINT_URL_SQS;
import static dev.sqsworker.app.EnvironmentVariables.AWS_REGION;
import static dev.sqsworker.app.EnvironmentVariables.AWS_SECRET_ACCESS_KEY;
import static dev.sqsworker.app.EnvironmentVariables.ECS_AGENT_URI;
import static dev.sqsworker.app.EnvironmentVariables.HANDLER_CLASS;
import static dev.sqsworker.app.EnvironmentVariables.HTTP_PORT;
import static dev.sqsworker.app.EnvironmentVariables.IDEMPOTENCY;
import static dev.sqsworker.app.EnvironmentVariables.IDEMPOTENCY_KEY_ATTRIBUTE;
import static dev.sqsworker.app.EnvironmentVariables.IDEMPOTENCY_TTL;
import static dev.sqsworker.app.EnvironmentVariables.JDBC_PASSWORD;
import static dev.sqsworker.app.EnvironmentVariables.JDBC_POOL_SIZE;
import static dev.sqsworker.app.EnvironmentVariables.JDBC_URL;
import static dev.sqsworker.app.EnvironmentVariables.JDBC_USER;
import static dev.sqsworker.app.EnvironmentVariables.SCALE_IN_PROTECTION;

import dev.sqsworker.app.EnvironmentVariables;
import dev.sqsworker.core.ConfigurationException;
import dev.sqsworker.core.Durations;
import dev.sqsworker.core.WorkerConfig;
import dev.sqsworker.core.idempotency.Idempotency;
import dev.sqsworker.core.idempotency.IdempotencyMode;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Everything the application reads from its environment, checked together.
 *
 * @param workers the workers, one per queue: one unnamed worker, or those {@code SQSWORKER_WORKERS}
 *     names, in its order
 * @param jdbc the database settings, when {@code SQSWORKER_JDBC_URL} is set
 * @param region the AWS region
 * @param sqsEndpoint the SQS endpoint override, for local servers
 * @param s3Endpoint the S3 endpoint override, for local servers (used with large payloads)
 * @param credentials static credentials from the environment, else the SDK's default chain
 * @param httpPort the health and metrics port (0: any free port)
 * @param ecsAgentUri the ECS agent's URI when scale-in protection is on
 */
public record AppSettings(
    List<WorkerSettings> workers,
    Optional<Jdbc> jdbc,
    String region,
    Optional<URI> sqsEndpoint,
    Optional<URI> s3Endpoint,
    Optional<Credentials> credentials,
    int httpPort,
    Optional<URI> ecsAgentUri) {

  /** Names several workers: {@code SQSWORKER_WORKERS=orders,refunds}. */
  public static final String WORKERS = dev.sqsworker.app.EnvironmentVariables.WORKERS;

  /**
   * One worker's settings.
   *
   * @param name its name: from {@code SQSWORKER_WORKERS}, or its queue's name for the only worker
   * @param worker its configuration
   * @param handler its handler class and payload type
   * @param idempotency its idempotency settings, when on
   * @param largePayloadVariable the variable its large-payload bucket was read from ({@code
   *     SQSWORKER_LARGE_PAYLOAD_BUCKET} or the worker's own {@code
   *     SQSWORKER_<NAME>_LARGE_PAYLOAD_BUCKET}), for messages about the bucket
   */
  public record WorkerSettings(
      String name,
      WorkerConfig worker,
      HandlerType handler,
      Optional<IdempotencySettings> idempotency,
      String largePayloadVariable) {}

  /** The workers' large-payload buckets, when any worker has one. */
  public boolean largePayloads() {
    return workers.stream().anyMatch(w -> w.worker().largePayloadBucket().isPresent());
  }

  /** The first (or only) worker's configuration. */
  public WorkerConfig worker() {
    return workers.get(0).worker();
  }

  /** The first (or only) worker's handler. */
  public HandlerType handler() {
    return workers.get(0).handler();
  }

  /** The first (or only) worker's idempotency settings. */
  public Optional<IdempotencySettings> idempotency() {
    return workers.get(0).idempotency();
  }

  /**
   * Idempotency settings.
   *
   * @param mode the mode
   * @param ttl how long records are kept
   * @param keyAttribute the message attribute with the key
   */
  public record IdempotencySettings(IdempotencyMode mode, Duration ttl, String keyAttribute) {}

  private static final Pattern REGION = Pattern.compile("[a-z]{2}(-[a-z]+)+-\\d+");
  private static final int MAX_POOL_SIZE = 100;

  /**
   * Database settings.
   *
   * @param url the JDBC URL
   * @param user the user
   * @param password the password, empty when the server needs none
   * @param poolSize the largest number of pooled connections
   */
  public record Jdbc(String url, String user, Optional<String> password, int poolSize) {
    @Override
    public String toString() {
      return "Jdbc{url=" + url + ", user=" + user + ", poolSize=" + poolSize + "}";
    }
  }

  /**
   * Static AWS credentials.
   *
   * @param accessKeyId the access key id
   * @param secretAccessKey the secret
   */
  public record Credentials(String accessKeyId, String secretAccessKey) {
    @Override
    public String toString() {
      return "Credentials{accessKeyId=" + accessKeyId + "}";
    }
  }

  /**
   * Reads and checks every setting.
   *
   * @throws ConfigurationException listing every problem found, the worker options' included
   */
  public static AppSettings fromEnvironment(Map<String, String> env) {
    List<String> problems = new ArrayList<>();
    List<String> names = WorkerEnvironments.names(env, problems);
    boolean jdbcSet = value(env, JDBC_URL) != null;
    List<WorkerSettings> workers = new ArrayList<>();
    int concurrency = 0;
    for (String name : names.isEmpty() ? List.<String>of("") : names) {
      Map<String, String> view = name.isEmpty() ? env : WorkerEnvironments.view(env, name);
      List<String> local = new ArrayList<>();
      WorkerSettings worker = worker(name, view, jdbcSet, local, largePayloadVariable(env, name));
      String where = name.isEmpty() ? "" : "worker " + name + " (SQSWORKER_" + up(name) + "_*): ";
      local.forEach(problem -> problems.add(where + problem));
      if (worker != null) {
        workers.add(worker);
        concurrency += worker.worker().concurrency();
      }
    }
    Optional<Jdbc> jdbc = jdbc(env, concurrency == 0 ? null : concurrency, problems);
    String region = value(env, AWS_REGION);
    if (region == null) {
      problems.add(AWS_REGION + " is required, e.g. eu-west-1");
    } else if (!REGION.matcher(region).matches()) {
      problems.add(AWS_REGION + " must be a region name like eu-west-1, was '" + region + "'");
    }
    Optional<URI> endpoint = endpoint(env, AWS_ENDPOINT_URL_SQS, problems);
    Optional<URI> s3Endpoint = endpoint(env, AWS_ENDPOINT_URL_S3, problems);
    Optional<Credentials> credentials = credentials(env, problems);
    int port = httpPort(env, problems);
    Optional<URI> agent = ecsAgent(env, problems);
    if (!problems.isEmpty()) {
      throw new ConfigurationException(List.copyOf(new LinkedHashSet<>(problems)));
    }
    return new AppSettings(
        List.copyOf(workers), jdbc, region, endpoint, s3Endpoint, credentials, port, agent);
  }

  private static String largePayloadVariable(Map<String, String> env, String name) {
    String shared = "SQSWORKER_LARGE_PAYLOAD_BUCKET";
    if (name.isEmpty()) {
      return shared;
    }
    String own = "SQSWORKER_" + up(name) + "_LARGE_PAYLOAD_BUCKET";
    return env.get(own) != null ? own : shared;
  }

  private static String up(String name) {
    return WorkerEnvironments.prefixName(name);
  }

  /** One worker's settings from its view of the environment; null when it has problems. */
  private static WorkerSettings worker(
      String name,
      Map<String, String> env,
      boolean jdbc,
      List<String> problems,
      String largePayloadVariable) {
    int before = problems.size();
    WorkerConfig worker = workerConfig(env, problems);
    HandlerType handler = null;
    String handlerClass = value(env, HANDLER_CLASS);
    if (handlerClass == null) {
      problems.add(HANDLER_CLASS + " is required: the MessageHandler class to run");
    } else {
      try {
        handler = HandlerType.load(handlerClass, jdbc);
      } catch (IllegalArgumentException e) {
        problems.add(HANDLER_CLASS + ": " + e.getMessage());
      }
    }
    Optional<IdempotencySettings> idempotency = idempotency(env, jdbc, problems);
    if (problems.size() > before || worker == null) {
      return null;
    }
    return new WorkerSettings(
        name.isEmpty() ? worker.queueName() : name,
        worker,
        handler,
        idempotency,
        largePayloadVariable);
  }

  private static Optional<IdempotencySettings> idempotency(
      Map<String, String> env, boolean jdbc, List<String> problems) {
    String mode = value(env, IDEMPOTENCY);
    String normalized =
        mode == null
            ? (jdbc ? "non_transactional" : "off")
            : mode.toLowerCase(Locale.ROOT).replace('-', '_');
    if (normalized.equals("off")) {
      return Optional.empty();
    }
    IdempotencyMode parsed;
    switch (normalized) {
      case "non_transactional" -> parsed = IdempotencyMode.NON_TRANSACTIONAL;
      case "transactional" -> parsed = IdempotencyMode.TRANSACTIONAL;
      default -> {
        problems.add(
            IDEMPOTENCY + " must be off, non_transactional or transactional, was '" + mode + "'");
        return Optional.empty();
      }
    }
    if (!jdbc) {
      problems.add(IDEMPOTENCY + "=" + normalized + " needs " + JDBC_URL);
    }
    Duration ttl = Idempotency.DEFAULT_TTL;
    String ttlText = value(env, IDEMPOTENCY_TTL);
    if (ttlText != null) {
      try {
        ttl = Durations.parse(ttlText);
      } catch (IllegalArgumentException e) {
        problems.add(IDEMPOTENCY_TTL + ": " + e.getMessage());
      }
    }
    String attribute = value(env, IDEMPOTENCY_KEY_ATTRIBUTE);
    return Optional.of(
        new IdempotencySettings(
            parsed, ttl, attribute != null ? attribute : Idempotency.DEFAULT_KEY_ATTRIBUTE));
  }

  private static WorkerConfig workerConfig(Map<String, String> env, List<String> problems) {
    // build() reports the invalid variables together with the missing and conflicting options.
    try {
      return WorkerConfig.builder().environment(env).build();
    } catch (ConfigurationException e) {
      problems.addAll(e.problems());
      return null;
    }
  }

  private static Optional<Jdbc> jdbc(
      Map<String, String> env, Integer concurrency, List<String> problems) {
    String url = value(env, JDBC_URL);
    String user = value(env, JDBC_USER);
    String password = env.get(JDBC_PASSWORD);
    String poolSize = value(env, JDBC_POOL_SIZE);
    if (url == null) {
      for (String name : List.of(JDBC_USER, JDBC_POOL_SIZE)) {
        if (value(env, name) != null) {
          problems.add(name + " is set but " + JDBC_URL + " is not");
        }
      }
      return Optional.empty();
    }
    if (!url.startsWith("jdbc:postgresql:")) {
      problems.add(
          JDBC_URL
              + " must be a PostgreSQL JDBC URL (jdbc:postgresql://host:5432/db), was '"
              + url
              + "'");
    }
    if (user == null) {
      problems.add(JDBC_USER + " is required with " + JDBC_URL);
    }
    int size = concurrency == null ? 12 : Math.min(MAX_POOL_SIZE, concurrency + 2);
    if (poolSize != null) {
      try {
        size = Integer.parseInt(poolSize);
        if (size < 1 || size > MAX_POOL_SIZE) {
          problems.add(
              JDBC_POOL_SIZE + " must be between 1 and " + MAX_POOL_SIZE + ", was " + size);
        }
      } catch (NumberFormatException e) {
        problems.add(JDBC_POOL_SIZE + ": '" + poolSize + "' is not a whole number");
      }
    }
    return Optional.of(
        new Jdbc(url, user, Optional.ofNullable(password).filter(p -> !p.isEmpty()), size));
  }

  /** The service's own endpoint variable, else {@code AWS_ENDPOINT_URL}. */
  private static Optional<URI> endpoint(
      Map<String, String> env, String serviceVariable, List<String> problems) {
    String name = value(env, serviceVariable) != null ? serviceVariable : AWS_ENDPOINT_URL;
    String value = value(env, name);
    if (value == null) {
      return Optional.empty();
    }
    return httpUri(name, value, problems);
  }

  private static Optional<Credentials> credentials(Map<String, String> env, List<String> problems) {
    String id = value(env, AWS_ACCESS_KEY_ID);
    String secret = value(env, AWS_SECRET_ACCESS_KEY);
    if (id == null && secret == null) {
      return Optional.empty();
    }
    if (id == null || secret == null) {
      problems.add(
          AWS_ACCESS_KEY_ID
              + " and "
              + AWS_SECRET_ACCESS_KEY
              + " must be set together or not at all");
      return Optional.empty();
    }
    return Optional.of(new Credentials(id, secret));
  }

  private static int httpPort(Map<String, String> env, List<String> problems) {
    String value = value(env, HTTP_PORT);
    if (value == null) {
      return EnvironmentVariables.DEFAULT_HTTP_PORT;
    }
    try {
      int port = Integer.parseInt(value);
      if (port >= 0 && port <= 65535) {
        return port;
      }
      problems.add(HTTP_PORT + " must be between 0 and 65535, was " + port);
    } catch (NumberFormatException e) {
      problems.add(HTTP_PORT + ": '" + value + "' is not a whole number");
    }
    return -1;
  }

  private static Optional<URI> ecsAgent(Map<String, String> env, List<String> problems) {
    String enabled = value(env, SCALE_IN_PROTECTION);
    if (enabled != null) {
      String flag = enabled.toLowerCase(Locale.ROOT);
      if (flag.equals("false")) {
        return Optional.empty();
      }
      if (!flag.equals("true")) {
        problems.add(SCALE_IN_PROTECTION + " must be true or false, was '" + enabled + "'");
      }
    }
    String agent = value(env, ECS_AGENT_URI);
    return agent == null ? Optional.empty() : httpUri(ECS_AGENT_URI, agent, problems);
  }

  private static Optional<URI> httpUri(String name, String value, List<String> problems) {
    try {
      URI uri = URI.create(value);
      if (("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))
          && uri.getHost() != null) {
        return Optional.of(uri);
      }
    } catch (IllegalArgumentException e) {
      // reported below
    }
    problems.add(name + " must be an http(s) URL, was '" + value + "'");
    return Optional.empty();
  }

  private static String value(Map<String, String> env, String name) {
    String value = env.get(name);
    return value == null || value.isBlank() ? null : value.trim();
  }
}
