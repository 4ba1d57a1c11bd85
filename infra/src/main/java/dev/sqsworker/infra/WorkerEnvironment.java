package dev.sqsworker.infra;

import java.util.List;
import java.util.stream.Stream;

/**
 * Names of the environment variables a {@link WorkerService} gives its container. The worker's
 * entry point reads exactly these; the deployment guide's table is checked against {@link #ALL}.
 */
public final class WorkerEnvironment {

  /**
   * The several-queues form only: the workers of the task, comma-separated ({@code
   * orders,refunds}). Each worker's options ({@link #PER_WORKER}) are then {@code
   * SQSWORKER_<NAME>_<OPTION>} ({@code SQSWORKER_ORDERS_QUEUE_URL}) instead of the shared names.
   */
  public static final String WORKERS = "SQSWORKER_WORKERS";

  /** URL of the source queue. */
  public static final String QUEUE_URL = "SQSWORKER_QUEUE_URL";

  /** URL of the dead-letter queue the worker sends exhausted and undecodable messages to. */
  public static final String DLQ_URL = "SQSWORKER_DLQ_URL";

  /** Fully qualified class name of the {@code MessageHandler}. */
  public static final String HANDLER_CLASS = "SQSWORKER_HANDLER_CLASS";

  /** Handlers running at once per task. */
  public static final String CONCURRENCY = "SQSWORKER_CONCURRENCY";

  /** Visibility timeout, ISO-8601 duration ({@code PT30S}). */
  public static final String VISIBILITY_TIMEOUT = "SQSWORKER_VISIBILITY_TIMEOUT";

  /** Attempts before the worker dead-letters a message. */
  public static final String MAX_ATTEMPTS = "SQSWORKER_MAX_ATTEMPTS";

  /** Drain time after SIGTERM, ISO-8601 duration ({@code PT25S}). */
  public static final String SHUTDOWN_GRACE = "SQSWORKER_SHUTDOWN_GRACE";

  /** JDBC URL of the PostgreSQL database (idempotency records, artifact registry). */
  public static final String JDBC_URL = "SQSWORKER_JDBC_URL";

  /** Database user. */
  public static final String JDBC_USER = "SQSWORKER_JDBC_USER";

  /** Database password: a container secret from Secrets Manager, never a plain variable. */
  public static final String JDBC_PASSWORD = "SQSWORKER_JDBC_PASSWORD";

  /** Port of the health and metrics server. */
  public static final String HTTP_PORT = "SQSWORKER_HTTP_PORT";

  /** Name of the artifact bucket. */
  public static final String ARTIFACT_BUCKET = "SQSWORKER_ARTIFACT_BUCKET";

  /** Key prefix of the worker's artifacts, ending in {@code /}. */
  public static final String ARTIFACT_PREFIX = "SQSWORKER_ARTIFACT_PREFIX";

  /** Region of the queues and the bucket. */
  public static final String AWS_REGION = "AWS_REGION";

  /**
   * The options set per worker in the several-queues form, by their shared names; the rest (the
   * grace, the database, the port, the artifact location, the region) are the process's.
   */
  public static final List<String> PER_WORKER =
      List.of(QUEUE_URL, DLQ_URL, HANDLER_CLASS, CONCURRENCY, VISIBILITY_TIMEOUT, MAX_ATTEMPTS);

  /**
   * The name of option {@code shared} (e.g. {@code SQSWORKER_QUEUE_URL}) for the worker whose
   * variables start with {@code workerPrefix} ({@code SQSWORKER_ORDERS_}): {@code
   * SQSWORKER_ORDERS_QUEUE_URL}. With {@code SQSWORKER_} it is {@code shared} itself.
   */
  public static String perWorker(String workerPrefix, String shared) {
    return workerPrefix + shared.substring("SQSWORKER_".length());
  }

  /** Every plain (non-secret) variable, in the order the container definition lists them. */
  public static final List<String> PLAIN =
      List.of(
          QUEUE_URL,
          DLQ_URL,
          HANDLER_CLASS,
          CONCURRENCY,
          VISIBILITY_TIMEOUT,
          MAX_ATTEMPTS,
          SHUTDOWN_GRACE,
          JDBC_URL,
          JDBC_USER,
          HTTP_PORT,
          ARTIFACT_BUCKET,
          ARTIFACT_PREFIX,
          AWS_REGION);

  /** Every variable the container gets: the plain ones and the password secret. */
  public static final List<String> ALL =
      Stream.concat(PLAIN.stream(), Stream.of(JDBC_PASSWORD)).toList();

  /** Every variable, in the order of the deployment guide's table (the secret after the user). */
  public static final List<String> ALL_IN_GUIDE_ORDER =
      List.of(
          QUEUE_URL,
          DLQ_URL,
          HANDLER_CLASS,
          CONCURRENCY,
          VISIBILITY_TIMEOUT,
          MAX_ATTEMPTS,
          SHUTDOWN_GRACE,
          JDBC_URL,
          JDBC_USER,
          JDBC_PASSWORD,
          HTTP_PORT,
          ARTIFACT_BUCKET,
          ARTIFACT_PREFIX,
          AWS_REGION);

  private WorkerEnvironment() {}
}
