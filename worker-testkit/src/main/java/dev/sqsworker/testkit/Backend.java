package dev.sqsworker.testkit;

import java.util.Locale;

/**
 * Which implementation serves SQS and S3: the embedded servers (the default, no Docker needed) or
 * LocalStack in a container through Testcontainers.
 *
 * <p>Chosen with the system property {@value #PROPERTY} ({@code embedded} or {@code localstack}).
 */
public enum Backend {
  /** ElasticMQ and the embedded S3 servers, started in this JVM. */
  EMBEDDED,
  /** LocalStack through Testcontainers; needs a Docker engine. */
  LOCALSTACK;

  /** The system property that selects the backend. */
  public static final String PROPERTY = "sqsworker.backend";

  /**
   * The backend chosen by the {@value #PROPERTY} system property, {@link #EMBEDDED} when unset.
   *
   * @throws IllegalArgumentException if the property names no backend
   */
  public static Backend fromSystemProperty() {
    return parse(System.getProperty(PROPERTY, ""));
  }

  /**
   * Parses a backend name; blank means {@link #EMBEDDED}.
   *
   * @throws IllegalArgumentException if the name is not {@code embedded} or {@code localstack}
   */
  public static Backend parse(String value) {
    String name = value == null ? "" : value.trim().toLowerCase(Locale.ROOT);
    return switch (name) {
      case "", "embedded" -> EMBEDDED;
      case "localstack" -> LOCALSTACK;
      default ->
          throw new IllegalArgumentException(
              PROPERTY + " must be 'embedded' or 'localstack', was '" + value + "'");
    };
  }
}
