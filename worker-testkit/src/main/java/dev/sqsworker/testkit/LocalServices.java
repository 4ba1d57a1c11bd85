package dev.sqsworker.testkit;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The local services a test, a benchmark or the demo needs, started together and stopped together.
 *
 * <pre>{@code
 * try (LocalServices services = LocalServices.start()) {
 *   String queueUrl = services.sqs().createQueue("orders");
 *   String bucket = services.s3().full().createBucket("reports");
 *   String jdbcUrl = services.postgres().jdbcUrl();
 * }
 * }</pre>
 */
public final class LocalServices implements AutoCloseable {

  private final LocalSqs sqs;
  private final LocalS3 s3;
  private final LocalPostgres postgres;
  private final boolean owner;

  private LocalServices(LocalSqs sqs, LocalS3 s3, LocalPostgres postgres, boolean owner) {
    this.sqs = sqs;
    this.s3 = s3;
    this.postgres = postgres;
    this.owner = owner;
  }

  /**
   * A view of services started elsewhere; closing the view leaves them running. Used by the JUnit
   * extension, which shares each service across a test run.
   */
  static LocalServices view(LocalSqs sqs, LocalS3 s3, LocalPostgres postgres) {
    return new LocalServices(sqs, s3, postgres, false);
  }

  /** Starts every service on the backend chosen by the {@value Backend#PROPERTY} property. */
  public static LocalServices start() {
    return builder().sqs().s3().postgres().start();
  }

  /** Chooses which services to start. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * The SQS server.
   *
   * @throws IllegalStateException if it was not started
   */
  public LocalSqs sqs() {
    return require(sqs, "sqs");
  }

  /**
   * The S3 servers.
   *
   * @throws IllegalStateException if they were not started
   */
  public LocalS3 s3() {
    return require(s3, "s3");
  }

  /**
   * The PostgreSQL server.
   *
   * @throws IllegalStateException if it was not started
   */
  public LocalPostgres postgres() {
    return require(postgres, "postgres");
  }

  /** The SQS server, if started. */
  public Optional<LocalSqs> sqsIfStarted() {
    return Optional.ofNullable(sqs);
  }

  /** The S3 servers, if started. */
  public Optional<LocalS3> s3IfStarted() {
    return Optional.ofNullable(s3);
  }

  /** The PostgreSQL server, if started. */
  public Optional<LocalPostgres> postgresIfStarted() {
    return Optional.ofNullable(postgres);
  }

  /**
   * The environment variables that point a worker, the {@code dlq} CLI or the AWS CLI at these
   * services, in a stable order. {@code AWS_ENDPOINT_URL_S3} names the full-featured S3 server
   * ({@link LocalS3#full()}); the credentials are the S3 servers' when S3 runs (the SQS server
   * accepts any).
   */
  public Map<String, String> environment() {
    Map<String, String> env = new LinkedHashMap<>();
    AwsEndpoint any = s3 != null ? s3.full().endpoint() : sqs != null ? sqs.endpoint() : null;
    if (any != null) {
      env.put("AWS_REGION", any.region());
      env.put("AWS_ACCESS_KEY_ID", any.accessKeyId());
      env.put("AWS_SECRET_ACCESS_KEY", any.secretAccessKey());
    }
    if (sqs != null) {
      env.put("AWS_ENDPOINT_URL_SQS", sqs.endpoint().uri().toString());
    }
    if (s3 != null) {
      env.put("AWS_ENDPOINT_URL_S3", s3.full().endpoint().uri().toString());
    }
    if (postgres != null) {
      env.put("SQSWORKER_JDBC_URL", postgres.jdbcUrl());
      env.put("SQSWORKER_JDBC_USER", LocalPostgres.USER);
      env.put("SQSWORKER_JDBC_PASSWORD", LocalPostgres.PASSWORD);
    }
    return env;
  }

  /** Stops every service this object started, the last started first. */
  @Override
  public void close() {
    if (!owner) {
      return;
    }
    List<AutoCloseable> started = new ArrayList<>();
    if (sqs != null) {
      started.add(sqs);
    }
    if (s3 != null) {
      started.add(s3);
    }
    if (postgres != null) {
      started.add(postgres);
    }
    closeAll(started);
  }

  private static void closeAll(List<AutoCloseable> services) {
    RuntimeException failure = null;
    for (int i = services.size() - 1; i >= 0; i--) {
      try {
        services.get(i).close();
      } catch (Exception e) {
        if (failure == null) {
          failure = new IllegalStateException("Could not stop every local service", e);
        } else {
          failure.addSuppressed(e);
        }
      }
    }
    if (failure != null) {
      throw failure;
    }
  }

  private static <T> T require(T service, String name) {
    if (service == null) {
      throw new IllegalStateException(
          "The " + name + " service was not started; ask for it in LocalServices.builder()");
    }
    return service;
  }

  /** Chooses the services to start; none is started until {@link #start()}. */
  public static final class Builder {
    private boolean sqs;
    private boolean s3;
    private boolean postgres;
    private int postgresPort;
    private Backend backend = Backend.fromSystemProperty();

    private Builder() {}

    /** Starts an SQS-compatible server. */
    public Builder sqs() {
      this.sqs = true;
      return this;
    }

    /** Starts the S3-compatible servers ({@link LocalS3}). */
    public Builder s3() {
      this.s3 = true;
      return this;
    }

    /** Starts a PostgreSQL server on a free port. */
    public Builder postgres() {
      this.postgres = true;
      return this;
    }

    /** Starts a PostgreSQL server on {@code port} (0: a free one). */
    public Builder postgres(int port) {
      this.postgres = true;
      this.postgresPort = port;
      return this;
    }

    /** Uses this backend for SQS (and S3) instead of the system property's. */
    public Builder backend(Backend backend) {
      this.backend = backend;
      return this;
    }

    /**
     * Starts the chosen services; if one fails, those already started are stopped again.
     *
     * @throws ServiceUnavailableException if a service cannot run here
     */
    public LocalServices start() {
      List<AutoCloseable> started = new ArrayList<>();
      try {
        // PostgreSQL first: the service most likely to fail (a taken port, binaries that cannot
        // be unpacked) fails before the others have spent time starting.
        LocalPostgres startedPostgres =
            postgres ? track(started, LocalPostgres.start(postgresPort)) : null;
        LocalSqs startedSqs = sqs ? track(started, LocalSqs.start(backend)) : null;
        LocalS3 startedS3 = s3 ? track(started, LocalS3.start(backend)) : null;
        return new LocalServices(startedSqs, startedS3, startedPostgres, true);
      } catch (RuntimeException | Error e) {
        // Errors too (a missing class while a server unpacks its binaries): the servers already
        // started run non-daemon threads, and left running they would keep the JVM alive.
        try {
          closeAll(started);
        } catch (RuntimeException closing) {
          e.addSuppressed(closing);
        }
        throw e;
      }
    }

    private static <T extends AutoCloseable> T track(List<AutoCloseable> started, T service) {
      started.add(service);
      return service;
    }
  }
}
