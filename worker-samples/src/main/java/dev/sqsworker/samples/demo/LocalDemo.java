package dev.sqsworker.samples.demo;

import dev.sqsworker.core.BackoffPolicy;
import dev.sqsworker.core.FailureReason;
import dev.sqsworker.core.MessageContext;
import dev.sqsworker.core.MessageHandler;
import dev.sqsworker.core.Worker;
import dev.sqsworker.core.WorkerConfig;
import dev.sqsworker.samples.OrderHandler;
import dev.sqsworker.testkit.LocalServices;
import dev.sqsworker.testkit.QueuePair;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.PrintStream;
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
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;

/**
 * The local demo: starts embedded SQS and PostgreSQL, sends a mixed workload of orders (normal,
 * flaky, malformed, invalid), runs a worker on it, and checks that every message it sent ended up
 * either as a row in PostgreSQL or in the dead-letter queue with its reason. Its last line is a
 * machine-readable summary; it exits 0 only if nothing was lost.
 */
public final class LocalDemo {

  private static final Duration TIMEOUT = Duration.ofSeconds(90);

  private final DemoOptions options;
  private final PrintStream out;

  LocalDemo(DemoOptions options, PrintStream out) {
    this.options = options;
    this.out = out;
  }

  /** Runs the demo: {@code [--messages N] [--quiet]}. */
  public static void main(String[] args) {
    DemoOptions options;
    try {
      options = DemoOptions.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println("demo: " + e.getMessage());
      System.err.println(DemoOptions.USAGE);
      System.exit(2);
      return;
    }
    DemoSummary summary = new LocalDemo(options, System.out).run();
    System.exit(summary.lost() == 0 ? 0 : 1);
  }

  DemoSummary run() {
    Instant started = Instant.now();
    say("Starting embedded SQS (ElasticMQ) and PostgreSQL ...");
    try (LocalServices services = LocalServices.builder().sqs().postgres().start()) {
      SqsClient sqs = services.sqs().client();
      QueuePair queues = services.sqs().createQueueWithDlq("demo-orders", 10);
      String database = services.postgres().createDatabase("demo");
      DataSource db = services.postgres().dataSource(database);
      execute(db, OrderHandler.DDL);
      say("Queue " + queues.queueUrl() + " with DLQ " + queues.dlqUrl());

      Workload workload = Workload.generate(options.messages());
      send(sqs, queues.queueUrl(), workload.bodies());
      say("Sent " + workload.bodies().size() + " messages: " + workload.describe());

      Map<String, AtomicInteger> flakyFailures = new ConcurrentHashMap<>();
      OrderHandler orders = new OrderHandler(db);
      MessageHandler<OrderHandler.Order> flakyOrders =
          (order, context) -> {
            failFirstAttemptOfFlakyOrders(order, context, flakyFailures);
            orders.handle(order, context);
          };
      var registry = new SimpleMeterRegistry();
      try (SqsAsyncClient client = asyncClient(services);
          Worker worker =
              Worker.builder()
                  .client(client)
                  .config(
                      WorkerConfig.builder()
                          .queueUrl(queues.queueUrl())
                          .dlqUrl(queues.dlqUrl())
                          .concurrency(16)
                          .maxAttempts(3)
                          .waitTime(Duration.ofSeconds(1))
                          .backoff(
                              BackoffPolicy.exponential(
                                  Duration.ofMillis(200), Duration.ofSeconds(2)))
                          .build())
                  .handler(OrderHandler.Order.class, flakyOrders)
                  .meterRegistry(registry)
                  .build()) {
        worker.start();
        waitUntilDrained(sqs, queues.queueUrl(), workload.bodies().size(), db);
      }

      Set<String> completed = completedOrders(db);
      List<Message> dead = drain(sqs, queues.dlqUrl());
      DemoSummary summary = DemoSummary.account(workload, completed, dead);
      printTable(summary, dead, Duration.between(started, Instant.now()));
      out.println(summary.toLine());
      return summary;
    }
  }

  private static void failFirstAttemptOfFlakyOrders(
      OrderHandler.Order order, MessageContext context, Map<String, AtomicInteger> failures) {
    if (order.customer().startsWith("flaky") && context.attempt() == 1) {
      failures.computeIfAbsent(order.orderId(), k -> new AtomicInteger()).incrementAndGet();
      throw new IllegalStateException("payment service timed out for " + order.orderId());
    }
  }

  private static SqsAsyncClient asyncClient(LocalServices services) {
    var endpoint = services.sqs().endpoint();
    return SqsAsyncClient.builder()
        .endpointOverride(endpoint.uri())
        .region(endpoint.sdkRegion())
        .credentialsProvider(endpoint.credentialsProvider())
        .build();
  }

  private void waitUntilDrained(SqsClient sqs, String queueUrl, int sent, DataSource db) {
    Instant deadline = Instant.now().plus(TIMEOUT);
    Progress progress = new Progress(out, options.quiet());
    while (Instant.now().isBefore(deadline)) {
      int left = depth(sqs, queueUrl);
      progress.show(sent - left, sent);
      if (left == 0) {
        progress.done();
        return;
      }
      pause(Duration.ofMillis(250));
    }
    progress.done();
    say("Timed out after " + TIMEOUT.toSeconds() + " s with messages still in the queue");
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

  private static Set<String> completedOrders(DataSource db) {
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

  private static void execute(DataSource db, String sql) {
    try (Connection c = db.getConnection();
        Statement s = c.createStatement()) {
      s.execute(sql);
    } catch (SQLException e) {
      throw new IllegalStateException("Could not run: " + sql, e);
    }
  }

  private void printTable(DemoSummary summary, List<Message> dead, Duration took) {
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
    rows.put("orders completed (rows in PostgreSQL)", summary.completed());
    rows.put("duplicates skipped", summary.duplicatesSkipped());
    rows.put("dead-lettered (with reason)", summary.deadLettered());
    reasons.forEach((reason, count) -> rows.put("  of which " + reason, count));
    rows.put("replayed from the DLQ", summary.replayed());
    rows.put("artifacts stored", summary.artifacts());
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
