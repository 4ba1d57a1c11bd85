package dev.sqsworker.testkit;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.regex.Pattern;

/**
 * Starts SQS, S3 and PostgreSQL in the foreground for local development (the {@code
 * bin/local-services} script), prints where they listen and the environment variables that point a
 * worker, the {@code dlq} CLI or the AWS CLI at them, and stops them on Ctrl-C.
 *
 * <p>Options: {@code --queue NAME} (repeatable) creates a queue; {@code --dlq} gives each of them a
 * dead-letter queue ({@code NAME-dlq}) as its {@code RedrivePolicy} target, with {@code
 * --max-receive-count N} (default {@value #DEFAULT_MAX_RECEIVE_COUNT}, above the worker's default
 * of 5 attempts, so the worker dead-letters with a reason before SQS would without one). With one
 * queue, {@code SQSWORKER_QUEUE_URL} (and {@code SQSWORKER_DLQ_URL}) are printed among the exports.
 *
 * <p>The backend is chosen by the {@value Backend#PROPERTY} system property, as in tests.
 */
public final class LocalServicesLauncher {

  /** The redrive policy's receive count with {@code --dlq}, unless given. */
  public static final int DEFAULT_MAX_RECEIVE_COUNT = 10;

  static final String USAGE =
      "usage: local-services [--queue NAME]... [--dlq] [--max-receive-count N]";

  private static final Pattern SHELL_SAFE = Pattern.compile("[A-Za-z0-9_./:@%+=,-]*");
  private static final Pattern QUEUE_NAME = Pattern.compile("[A-Za-z0-9_-]{1,75}(\\.fifo)?");

  private LocalServicesLauncher() {}

  /** What to create once the services run. */
  record Options(List<String> queues, boolean dlq, int maxReceiveCount) {

    /**
     * Parses the command line.
     *
     * @throws IllegalArgumentException naming the option that is wrong
     */
    static Options parse(String... args) {
      List<String> queues = new ArrayList<>();
      boolean dlq = false;
      int maxReceiveCount = DEFAULT_MAX_RECEIVE_COUNT;
      for (int i = 0; i < args.length; i++) {
        switch (args[i]) {
          case "--queue" -> {
            String name = value(args, ++i, "--queue");
            if (!QUEUE_NAME.matcher(name).matches()) {
              throw new IllegalArgumentException(
                  "--queue: '"
                      + name
                      + "' is not a queue name (up to 80 letters, digits, - and _, .fifo at the"
                      + " end for a FIFO queue)");
            }
            queues.add(name);
          }
          case "--dlq" -> dlq = true;
          case "--max-receive-count" -> {
            String raw = value(args, ++i, "--max-receive-count");
            try {
              maxReceiveCount = Integer.parseInt(raw);
            } catch (NumberFormatException e) {
              maxReceiveCount = 0;
            }
            if (maxReceiveCount < 1 || maxReceiveCount > 1000) {
              throw new IllegalArgumentException(
                  "--max-receive-count must be between 1 and 1000, was '" + raw + "'");
            }
          }
          default -> throw new IllegalArgumentException("unknown option '" + args[i] + "'");
        }
      }
      if (dlq && queues.isEmpty()) {
        throw new IllegalArgumentException("--dlq needs at least one --queue");
      }
      return new Options(List.copyOf(queues), dlq, maxReceiveCount);
    }

    private static String value(String[] args, int i, String option) {
      if (i >= args.length || args[i].startsWith("--")) {
        throw new IllegalArgumentException(option + " needs a value");
      }
      return args[i];
    }
  }

  /** Starts the services and waits until the process is stopped. */
  public static void main(String[] args) throws InterruptedException {
    Options options;
    try {
      options = Options.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println("local-services: " + e.getMessage());
      System.err.println(USAGE);
      System.exit(2);
      return;
    }
    LocalServices services;
    Map<String, String> env;
    Map<String, String> endpoints;
    try {
      services = LocalServices.start();
      endpoints = endpoints(services);
      env = new LinkedHashMap<>(services.environment());
      createQueues(services.sqs(), options, endpoints, env);
    } catch (RuntimeException | Error e) {
      System.err.println("local-services: could not start: " + e);
      System.exit(1);
      return;
    }
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
    print(System.out, endpoints, env);
    stopped.await();
  }

  /**
   * Creates the queues asked for, listing each as an endpoint and, for a single one, exporting it.
   */
  static void createQueues(
      LocalSqs sqs, Options options, Map<String, String> endpoints, Map<String, String> env) {
    for (String name : options.queues()) {
      if (options.dlq()) {
        QueuePair pair = sqs.createQueueWithDlq(name, options.maxReceiveCount());
        endpoints.put("queue " + name, pair.queueUrl());
        endpoints.put("  its DLQ", pair.dlqUrl());
        if (options.queues().size() == 1) {
          env.put("SQSWORKER_QUEUE_URL", pair.queueUrl());
          env.put("SQSWORKER_DLQ_URL", pair.dlqUrl());
        }
      } else {
        String url = sqs.createQueue(name);
        endpoints.put("queue " + name, url);
        if (options.queues().size() == 1) {
          env.put("SQSWORKER_QUEUE_URL", url);
        }
      }
    }
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
