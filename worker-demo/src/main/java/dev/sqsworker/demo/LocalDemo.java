package dev.sqsworker.demo;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.sqsworker.core.BackoffPolicy;
import dev.sqsworker.core.FailureReason;
import dev.sqsworker.core.MessageContext;
import dev.sqsworker.core.MessageHandler;
import dev.sqsworker.core.Worker;
import dev.sqsworker.core.WorkerConfig;
import dev.sqsworker.core.idempotency.Idempotency;
import dev.sqsworker.core.idempotency.IdempotencyMode;
import dev.sqsworker.core.resilience.DownstreamConfig;
import dev.sqsworker.core.resilience.Downstreams;
import dev.sqsworker.dlq.DeadLetterQueues;
import dev.sqsworker.dlq.MessageFilter;
import dev.sqsworker.dlq.ReplayRequest;
import dev.sqsworker.dlq.ReplayResult;
import dev.sqsworker.samples.OrderHandler;
import dev.sqsworker.samples.OrderHandler.Order;
import dev.sqsworker.samples.ReceiptPublisher;
import dev.sqsworker.samples.TaxClient;
import dev.sqsworker.storage.ArtifactRegistry;
import dev.sqsworker.storage.ArtifactUploader;
import dev.sqsworker.storage.BucketPolicy;
import dev.sqsworker.storage.BucketSetup;
import dev.sqsworker.storage.BucketSetupReport;
import dev.sqsworker.storage.S3ArtifactSigner;
import dev.sqsworker.storage.SignerConfig;
import dev.sqsworker.storage.StorageSchema;
import dev.sqsworker.storage.UploaderConfig;
import dev.sqsworker.testkit.LocalPostgres;
import dev.sqsworker.testkit.LocalServices;
import dev.sqsworker.testkit.QueuePair;
import dev.sqsworker.testkit.S3Server;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.PrintStream;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.sql.DataSource;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;

/**
 * The local demo: starts embedded SQS, S3 and PostgreSQL, sends a mixed workload of orders, runs a
 * worker with transactional idempotency on it (orders stored exactly once, receipts uploaded as
 * versioned artifacts through pre-signed URLs, priced by a tax service that is down for a while:
 * its breaker opens, polling pauses, messages are parked, nothing is lost), then fixes the cause of
 * the rejected orders and replays them from the dead-letter queue. At the end it accounts for every
 * message it sent: a stored order, or a dead letter with its reason. Its last line is a
 * machine-readable summary; it exits 0 only if nothing was lost.
 */
public final class LocalDemo {

  private static final Duration PHASE_TIMEOUT = Duration.ofSeconds(90);

  /** The longest the whole demo may take before it fails (it takes about 20 s). */
  static final Duration DEMO_TIMEOUT = Duration.ofMinutes(10);

  private static final String BUCKET = "demo-artifacts";
  private static final Duration TAX_OUTAGE = Duration.ofSeconds(3);

  private final DemoOptions options;
  private final DemoCredentials credentials;
  private final PrintStream out;

  LocalDemo(DemoOptions options, PrintStream out) {
    this(options, DemoCredentials.DEFAULT, out);
  }

  LocalDemo(DemoOptions options, DemoCredentials credentials, PrintStream out) {
    this.options = options;
    this.credentials = credentials;
    this.out = out;
  }

  /**
   * Runs the demo: {@code [--messages N] [--quiet]}. Exits 0 when every message is accounted for, 1
   * with a one-line reason on stderr when anything fails (or nothing is left to wait for after
   * {@link #DEMO_TIMEOUT}), 2 for a bad option.
   */
  public static void main(String[] args) {
    DemoOptions options;
    try {
      options = DemoOptions.parse(args, System.getenv());
    } catch (IllegalArgumentException e) {
      System.err.println("demo: " + e.getMessage());
      System.err.println(DemoOptions.USAGE);
      System.exit(2);
      return;
    }
    startWatchdog();
    int code;
    try {
      DemoSummary summary =
          new LocalDemo(options, DemoCredentials.fromEnvironment(System.getenv()), System.out)
              .run();
      code = summary.lost() == 0 ? 0 : 1;
      if (summary.lost() > 0) {
        System.err.println("demo: failed: " + summary.lost() + " messages were lost");
      }
    } catch (Throwable e) { // any failure, Errors included, must end the process
      System.err.println("demo: failed: " + oneLine(e));
      code = 1;
    }
    // The embedded servers run non-daemon threads: exit explicitly, whatever is left running.
    System.exit(code);
  }

  /**
   * Ends the process if the demo has not finished in {@link #DEMO_TIMEOUT}: a demo that waits for
   * something that never comes must fail, not hang.
   */
  private static void startWatchdog() {
    Thread watchdog =
        new Thread(
            () -> {
              try {
                Thread.sleep(DEMO_TIMEOUT.toMillis());
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
              }
              System.err.println(
                  "demo: failed: did not finish within " + DEMO_TIMEOUT.toMinutes() + " minutes");
              Runtime.getRuntime().halt(1);
            },
            "demo-watchdog");
    watchdog.setDaemon(true);
    watchdog.start();
  }

  /** A failure as one line: what failed and, if different, its root cause. */
  static String oneLine(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String line = describe(e);
    if (root != e) {
      line += " (caused by " + describe(root) + ")";
    }
    return line.replaceAll("\\s*\\R\\s*", " ");
  }

  private static String describe(Throwable e) {
    String message = e.getMessage();
    return message == null || message.isBlank()
        ? e.getClass().getName()
        : e.getClass().getSimpleName() + ": " + message;
  }

  DemoSummary run() {
    Instant started = Instant.now();
    say("Starting embedded SQS (ElasticMQ), S3 (S3Mock) and PostgreSQL ...");
    try (LocalServices services =
            LocalServices.builder().sqs().s3().postgres(options.postgresPort()).start();
        HikariDataSource db =
            pool(services.postgres(), services.postgres().createDatabase("demo"), credentials)) {
      SqsClient sqs = services.sqs().client();
      QueuePair queues = services.sqs().createQueueWithDlq("demo-orders", 10);
      execute(db, OrderHandler.DDL);
      say("Queue " + queues.queueUrl() + " with DLQ " + queues.dlqUrl());
      ReceiptPublisher receipts = receipts(services.s3().full(), db);
      var registry = new SimpleMeterRegistry();
      String timelineFile = System.getenv(Timeline.VARIABLE);
      Timeline timeline =
          timelineFile == null || timelineFile.isBlank()
              ? null
              : new Timeline(registry, Path.of(timelineFile), System::currentTimeMillis);
      FlakyTaxService taxService = new FlakyTaxService(TAX_OUTAGE);
      Downstreams downstreams =
          Downstreams.builder()
              .downstream(
                  "tax",
                  DownstreamConfig.builder()
                      .timeout(Duration.ofSeconds(2))
                      .breakerWindow(10)
                      .breakerMinCalls(4)
                      .breakerOpenFor(Duration.ofSeconds(2))
                      .breakerHalfOpenCalls(2)
                      .retryAttempts(2)
                      .retryBase(Duration.ofMillis(50))
                      .build())
              .meterRegistry(registry)
              .build();
      TaxClient tax = new TaxClient(taxService.uri(), downstreams.get("tax"));
      say(
          "Tax service at "
              + taxService.uri()
              + " will be down for "
              + TAX_OUTAGE.toSeconds()
              + " s from its first request.");

      Workload workload = Workload.generate(options.messages());
      send(sqs, queues.queueUrl(), workload.bodies());
      say("Sent " + workload.bodies().size() + " messages: " + workload.describe());

      AtomicBoolean freeSamplesAccepted = new AtomicBoolean();
      OrderHandler orders =
          new OrderHandler(db, o -> o.quantity() > 0 || freeSamplesAccepted.get());
      MessageHandler<Order> handler =
          (order, context) -> {
            failTheFirstAttemptOfFlakyOrders(order, context);
            orders.handle(order, context);
            if (wantsReceipt(order)) {
              receipts.publish(order, tax.taxCents(order), context);
            }
          };
      ReplayResult replay;
      int duplicates;
      int parked;
      try (taxService;
          downstreams;
          SqsAsyncClient client = asyncClient(services);
          Worker worker =
              Worker.builder()
                  .client(client)
                  .config(
                      WorkerConfig.builder()
                          .queueUrl(queues.queueUrl())
                          .dlqUrl(queues.dlqUrl())
                          .concurrency(16)
                          .maxAttempts(5)
                          .waitTime(Duration.ofSeconds(1))
                          .backoff(
                              BackoffPolicy.exponential(
                                  Duration.ofMillis(200), Duration.ofSeconds(2)))
                          .build())
                  .idempotency(
                      Idempotency.postgres(db)
                          .mode(IdempotencyMode.TRANSACTIONAL)
                          .keyFrom(Order.class, Order::orderId)
                          .build())
                  .handler(Order.class, handler)
                  .pauseWhileOpen(downstreams.get("tax"))
                  .meterRegistry(registry)
                  .build()) {
        worker.start();
        waitUntilSettled(sqs, queues.queueUrl(), workload.bodies().size(), "first pass");

        say("Fixing the cause: free samples (quantity 0) are accepted now.");
        freeSamplesAccepted.set(true);
        DeadLetterQueues dlq = DeadLetterQueues.builder(sqs).build();
        replay =
            dlq.replay(
                ReplayRequest.builder(queues.dlqUrl())
                    .filter(MessageFilter.parse("kind=NON_RETRYABLE"))
                    .build());
        say(
            "Replayed "
                + replay.replayed()
                + " rejected orders from the DLQ (the malformed ones stay there).");
        waitUntilSettled(sqs, queues.queueUrl(), (int) replay.replayed(), "replay");
        if (timeline != null) {
          timeline.close();
        }
        // Read before close: a closed worker removes its meters.
        duplicates = (int) registry.get("sqsworker.messages.duplicates").counter().count();
        parked = (int) registry.get("sqsworker.messages.parked").counter().count();
        say(
            "The tax service refused "
                + taxService.refused()
                + " calls while it was down; "
                + parked
                + " messages were parked (no attempt counted) while its breaker was open.");
      }

      List<Message> dead = drain(sqs, queues.dlqUrl());
      DemoSummary summary =
          DemoSummary.account(
              workload,
              storedOrders(db),
              dead,
              duplicates,
              (int) replay.replayed(),
              count(db, "SELECT count(*) FROM sqsworker_artifact"));
      printTable(summary, dead, parked, Duration.between(started, Instant.now()));
      out.println(summary.toLine());
      return summary;
    }
  }

  private ReceiptPublisher receipts(S3Server s3, DataSource db) {
    s3.createBucket(BUCKET);
    // The embedded S3 server has no default-encryption or public-access-block API; on AWS keep
    // both.
    BucketSetupReport report =
        BucketSetup.create(s3.client())
            .apply(
                BUCKET, BucketPolicy.builder().encryption(null).blockPublicAccess(false).build());
    say("Bucket " + BUCKET + ": " + report);
    StorageSchema.migrate(db);
    var signer = S3ArtifactSigner.create(s3.client(), SignerConfig.builder(BUCKET).build());
    return new ReceiptPublisher(
        ArtifactUploader.create(signer, UploaderConfig.defaults()), ArtifactRegistry.create(db));
  }

  private static boolean wantsReceipt(Order order) {
    return order.orderId().endsWith("0");
  }

  private static void failTheFirstAttemptOfFlakyOrders(Order order, MessageContext context) {
    if (order.customer().startsWith("flaky") && context.attempt() == 1) {
      throw new IllegalStateException("payment service timed out for " + order.orderId());
    }
  }

  private static HikariDataSource pool(
      LocalPostgres postgres, String database, DemoCredentials credentials) {
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(credentials.jdbcUrl(postgres.jdbcUrl(database)));
    config.setUsername(LocalPostgres.USER);
    config.setPassword(credentials.jdbcPassword());
    config.setMaximumPoolSize(20);
    config.setPoolName("demo");
    return new HikariDataSource(config);
  }

  private SqsAsyncClient asyncClient(LocalServices services) {
    if (credentials.awsSecretAccessKey() == null) {
      return services.sqs().newAsyncClient();
    }
    return services
        .sqs()
        .newAsyncClient(
            b ->
                b.credentialsProvider(
                    StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(
                            credentials.awsAccessKeyId(), credentials.awsSecretAccessKey()))));
  }

  private void waitUntilSettled(SqsClient sqs, String queueUrl, int expected, String phase) {
    Instant deadline = Instant.now().plus(PHASE_TIMEOUT);
    Progress progress = new Progress(out, options.quiet(), phase);
    while (Instant.now().isBefore(deadline)) {
      int left = depth(sqs, queueUrl);
      progress.show(Math.max(0, expected - left), expected);
      if (left == 0) {
        progress.done();
        return;
      }
      pause(Duration.ofMillis(250));
    }
    progress.done();
    throw new IllegalStateException(
        "the "
            + phase
            + " did not settle within "
            + PHASE_TIMEOUT.toSeconds()
            + " s: "
            + depth(sqs, queueUrl)
            + " messages still in "
            + queueUrl);
  }

  private static void pause(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  private static int depth(SqsClient sqs, String queueUrl) {
    Map<QueueAttributeName, String> attrs =
        sqs.getQueueAttributes(
                b ->
                    b.queueUrl(queueUrl)
                        .attributeNames(
                            QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
                            QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE,
                            QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_DELAYED))
            .attributes();
    return attrs.values().stream().mapToInt(Integer::parseInt).sum();
  }

  private static void send(SqsClient sqs, String queueUrl, List<String> bodies) {
    for (int from = 0; from < bodies.size(); from += 10) {
      List<SendMessageBatchRequestEntry> entries = new ArrayList<>();
      for (int i = from; i < Math.min(bodies.size(), from + 10); i++) {
        entries.add(
            SendMessageBatchRequestEntry.builder().id("m" + i).messageBody(bodies.get(i)).build());
      }
      var response = sqs.sendMessageBatch(b -> b.queueUrl(queueUrl).entries(entries));
      if (!response.failed().isEmpty()) {
        throw new IllegalStateException("Could not send demo messages: " + response.failed());
      }
    }
  }

  private static List<Message> drain(SqsClient sqs, String queueUrl) {
    List<Message> all = new ArrayList<>();
    while (true) {
      List<Message> got =
          sqs.receiveMessage(
                  b ->
                      b.queueUrl(queueUrl)
                          .maxNumberOfMessages(10)
                          .visibilityTimeout(300)
                          .messageAttributeNames("All"))
              .messages();
      if (got.isEmpty()) {
        return all;
      }
      all.addAll(got);
    }
  }

  private static Set<String> storedOrders(DataSource db) {
    Set<String> ids = new HashSet<>();
    try (Connection c = db.getConnection();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT order_id FROM orders")) {
      while (rs.next()) {
        ids.add(rs.getString(1));
      }
      return ids;
    } catch (SQLException e) {
      throw new IllegalStateException("Could not read the orders table", e);
    }
  }

  private static int count(DataSource db, String sql) {
    try (Connection c = db.getConnection();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getInt(1);
    } catch (SQLException e) {
      throw new IllegalStateException("Could not run: " + sql, e);
    }
  }

  private static void execute(DataSource db, String sql) {
    try (Connection c = db.getConnection();
        Statement s = c.createStatement()) {
      s.execute(sql);
    } catch (SQLException e) {
      throw new IllegalStateException("Could not run: " + sql, e);
    }
  }

  private void printTable(DemoSummary summary, List<Message> dead, int parked, Duration took) {
    if (options.quiet()) {
      return;
    }
    Map<String, Integer> reasons = new TreeMap<>();
    for (Message m : dead) {
      var attr = m.messageAttributes().get(FailureReason.ATTRIBUTE);
      String key =
          attr == null
              ? "no reason attached"
              : FailureReason.fromJson(attr.stringValue()).kind().name();
      reasons.merge(key, 1, Integer::sum);
    }
    Map<String, Object> rows = new LinkedHashMap<>();
    rows.put("messages sent", summary.sent());
    rows.put("orders stored exactly once (PostgreSQL)", summary.completed());
    rows.put("duplicates skipped (idempotency)", summary.duplicatesSkipped());
    rows.put("parked while the tax breaker was open", parked);
    rows.put("replayed from the DLQ after the fix", summary.replayed());
    rows.put("left in the DLQ, with reason", summary.deadLettered());
    reasons.forEach((reason, count) -> rows.put("  of which " + reason, count));
    rows.put("receipts stored (S3 + registry)", summary.artifacts());
    rows.put("lost", summary.lost());
    rows.put("took", took.toMillis() / 1000.0 + " s");
    out.println();
    out.println("+------------------------------------------+----------+");
    rows.forEach((name, value) -> out.printf("| %-40s | %8s |%n", name, value));
    out.println("+------------------------------------------+----------+");
  }

  private void say(String line) {
    if (!options.quiet()) {
      out.println(line);
    }
  }
}
