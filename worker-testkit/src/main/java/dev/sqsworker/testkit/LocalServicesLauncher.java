package dev.sqsworker.testkit;

import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.regex.Pattern;

/**
 * Starts SQS, S3 and PostgreSQL in the foreground for local development (the {@code
 * bin/local-services} script), prints where they listen and the environment variables that point a
 * worker, the {@code dlq} CLI or the AWS CLI at them, and stops them on Ctrl-C.
 *
 * <p>The backend is chosen by the {@value Backend#PROPERTY} system property, as in tests.
 */
public final class LocalServicesLauncher {

  private static final Pattern SHELL_SAFE = Pattern.compile("[A-Za-z0-9_./:@%+=,-]*");

  private LocalServicesLauncher() {}

  /** Starts the services and waits until the process is stopped. */
  public static void main(String[] args) throws InterruptedException {
    LocalServices services = LocalServices.start();
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  System.out.println("Stopping the local services...");
                  try {
                    services.close();
                  } finally {
                    stopped.countDown();
                  }
                },
                "local-services-shutdown"));
    print(System.out, endpoints(services), services.environment());
    stopped.await();
  }

  /** The endpoints worth showing, by label, in a stable order. */
  static Map<String, String> endpoints(LocalServices services) {
    Map<String, String> endpoints = new LinkedHashMap<>();
    services.sqsIfStarted().ifPresent(sqs -> endpoints.put("SQS", sqs.endpoint().uri().toString()));
    services
        .s3IfStarted()
        .ifPresent(
            s3 -> {
              endpoints.put("S3 (versioning, lifecycle)", s3.full().endpoint().uri().toString());
              endpoints.put("S3 (checks signatures)", s3.signing().endpoint().uri().toString());
            });
    services.postgresIfStarted().ifPresent(pg -> endpoints.put("PostgreSQL", pg.jdbcUrl()));
    return endpoints;
  }

  /**
   * Prints the endpoints, then one {@code export NAME=value} line per variable, quoting values a
   * shell would otherwise split, so the block can be pasted or {@code eval}ed.
   */
  static void print(PrintStream out, Map<String, String> endpoints, Map<String, String> env) {
    out.println("Local services are running; Ctrl-C stops them.");
    int width = endpoints.keySet().stream().mapToInt(String::length).max().orElse(0);
    endpoints.forEach(
        (label, uri) ->
            out.println("  " + label + " ".repeat(width - label.length()) + "  " + uri));
    out.println();
    out.println("# Point a worker or the AWS CLI at them:");
    env.forEach((name, value) -> out.println("export " + name + "=" + shellQuote(value)));
    out.flush();
  }

  static String shellQuote(String value) {
    if (SHELL_SAFE.matcher(value).matches() && !value.isEmpty()) {
      return value;
    }
    return "'" + value.replace("'", "'\\''") + "'";
  }
}
