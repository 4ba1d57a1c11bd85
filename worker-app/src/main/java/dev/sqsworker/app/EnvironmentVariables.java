package dev.sqsworker.app;

import java.util.List;

/**
 * The environment variables {@link WorkerApplication} reads besides the {@code SQSWORKER_*} options
 * of {@link dev.sqsworker.core.WorkerConfig.Builder#environment(java.util.Map)}.
 */
public final class EnvironmentVariables {

  /**
   * Several workers in one process: a comma-separated list of names ({@code orders,refunds}). Each
   * worker reads its options from {@code SQSWORKER_<NAME>_<OPTION>} ({@code
   * SQSWORKER_ORDERS_QUEUE_URL}, {@code SQSWORKER_REFUNDS_HANDLER_CLASS}, ...), with the shared
   * {@code SQSWORKER_<OPTION>} as every worker's default. Unset: one worker from the shared
   * variables.
   */
  public static final String WORKERS = "SQSWORKER_WORKERS";

  /**
   * Fully qualified name of the {@link dev.sqsworker.core.MessageHandler} implementation. Required.
   * It needs a public no-argument constructor, or a public constructor taking a {@link
   * javax.sql.DataSource} when {@link #JDBC_URL} is set.
   */
  public static final String HANDLER_CLASS = "SQSWORKER_HANDLER_CLASS";

  /**
   * JDBC URL of the PostgreSQL database ({@code jdbc:postgresql://host:5432/db}, or several hosts
   * {@code jdbc:postgresql://a:5432,b:5432/db}). Optional. The pool connects only to a writable
   * server ({@code targetServerType=primary}) with failover-ready timeouts; a driver parameter in
   * the query string overrides its default.
   */
  public static final String JDBC_URL = "SQSWORKER_JDBC_URL";

  /**
   * Idempotency: {@code off}, {@code non_transactional} or {@code transactional}. Default: {@code
   * non_transactional} when {@link #JDBC_URL} is set, else {@code off}; anything but {@code off}
   * needs {@link #JDBC_URL}.
   */
  public static final String IDEMPOTENCY = "SQSWORKER_IDEMPOTENCY";

  /** How long idempotency records are kept, e.g. {@code 7d}; default 7 days. */
  public static final String IDEMPOTENCY_TTL = "SQSWORKER_IDEMPOTENCY_TTL";

  /** The message attribute that carries the idempotency key; default {@code Idempotency-Key}. */
  public static final String IDEMPOTENCY_KEY_ATTRIBUTE = "SQSWORKER_IDEMPOTENCY_KEY_ATTRIBUTE";

  /** Database user; required with {@link #JDBC_URL}. */
  public static final String JDBC_USER = "SQSWORKER_JDBC_USER";

  /** Database password; optional (a server that trusts the connection needs none). */
  public static final String JDBC_PASSWORD = "SQSWORKER_JDBC_PASSWORD";

  /** Largest number of pooled connections, 1 to 100; default: the worker's concurrency + 2. */
  public static final String JDBC_POOL_SIZE = "SQSWORKER_JDBC_POOL_SIZE";

  /** Port of the health and metrics server, 0 to 65535 (0: any free port); default 8080. */
  public static final String HTTP_PORT = "SQSWORKER_HTTP_PORT";

  /** {@code false} turns ECS scale-in protection off even on ECS; default {@code true}. */
  public static final String SCALE_IN_PROTECTION = "SQSWORKER_SCALE_IN_PROTECTION";

  /**
   * Level of the worker's own loggers ({@code dev.sqsworker}) in the JSON log configuration {@code
   * logback-ecs.xml}, which reads it; default {@code INFO}.
   */
  public static final String LOG_LEVEL = "SQSWORKER_LOG_LEVEL";

  /** The AWS region of the queues. Required. */
  public static final String AWS_REGION = "AWS_REGION";

  /** Endpoint override for SQS only (a local server), as the AWS SDKs and CLI read it. */
  public static final String AWS_ENDPOINT_URL_SQS = "AWS_ENDPOINT_URL_SQS";

  /**
   * Endpoint override for S3 only (a local server), as the AWS SDKs and CLI read it; the S3 client
   * of large payloads ({@code SQSWORKER_LARGE_PAYLOAD_BUCKET}) then uses path-style addressing.
   */
  public static final String AWS_ENDPOINT_URL_S3 = "AWS_ENDPOINT_URL_S3";

  /**
   * Endpoint override for every AWS service, used when {@link #AWS_ENDPOINT_URL_SQS} (for SQS) or
   * {@link #AWS_ENDPOINT_URL_S3} (for S3) is unset.
   */
  public static final String AWS_ENDPOINT_URL = "AWS_ENDPOINT_URL";

  /**
   * Static credentials, read from the same environment as everything else; without them the SDK's
   * default chain is used (on ECS: the task role).
   */
  public static final String AWS_ACCESS_KEY_ID = "AWS_ACCESS_KEY_ID";

  /** The secret of {@link #AWS_ACCESS_KEY_ID}. */
  public static final String AWS_SECRET_ACCESS_KEY = "AWS_SECRET_ACCESS_KEY";

  /**
   * Set by the ECS agent in every task; when present the application asks it for scale-in
   * protection while messages are in flight.
   */
  public static final String ECS_AGENT_URI = "ECS_AGENT_URI";

  /**
   * The bucket for artifacts, set by the deployment for handlers that store them (the entry point
   * does not read it; handlers find it in {@code ApplicationContext.environment()}).
   */
  public static final String ARTIFACT_BUCKET = "SQSWORKER_ARTIFACT_BUCKET";

  /** The key prefix for artifacts, like {@link #ARTIFACT_BUCKET} for handlers. */
  public static final String ARTIFACT_PREFIX = "SQSWORKER_ARTIFACT_PREFIX";

  /** Variables the deployment sets for handlers, which the entry point passes on unread. */
  public static final List<String> FOR_HANDLERS = List.of(ARTIFACT_BUCKET, ARTIFACT_PREFIX);

  /** Default of {@link #HTTP_PORT}: {@value}. */
  public static final int DEFAULT_HTTP_PORT = 8080;

  /** Every variable of this class, in the order of the deployment guide's table. */
  public static final List<String> ALL =
      List.of(
          WORKERS,
          HANDLER_CLASS,
          JDBC_URL,
          JDBC_USER,
          JDBC_PASSWORD,
          JDBC_POOL_SIZE,
          IDEMPOTENCY,
          IDEMPOTENCY_TTL,
          IDEMPOTENCY_KEY_ATTRIBUTE,
          HTTP_PORT,
          SCALE_IN_PROTECTION,
          LOG_LEVEL,
          AWS_REGION,
          AWS_ENDPOINT_URL_SQS,
          AWS_ENDPOINT_URL_S3,
          AWS_ENDPOINT_URL,
          AWS_ACCESS_KEY_ID,
          AWS_SECRET_ACCESS_KEY,
          ECS_AGENT_URI);

  private EnvironmentVariables() {}
}
