package dev.sqsworker.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.sqsworker.testkit.LocalPostgres;
import dev.sqsworker.testkit.LocalSqs;
import dev.sqsworker.testkit.QueuePair;
import dev.sqsworker.testkit.WithLocalServices;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;

/**
 * Four worker processes on one queue share one partner's limit of 50 calls per second through the
 * global rate limit in their common PostgreSQL. The partner (an HTTP server in this JVM) records
 * every call: no 1 s window has more than 50, every message reaches it once, none is dead-lettered.
 */
@WithLocalServices
class GlobalRateLimitProcessesIT {

  private static final Logger LOG = LoggerFactory.getLogger(GlobalRateLimitProcessesIT.class);
  private static final int PROCESSES = 4;
  private static final int MESSAGES = 200;
  private static final int LIMIT = 50;

  @Test
  void fourProcessesTogetherStayWithinTheSharedLimit_everyMessageOnce_noneDeadLettered(
      LocalSqs sqs, LocalPostgres postgres, @TempDir Path work) throws Exception {
    QueuePair queues = sqs.createQueueWithDlq("global-limit", 50);
    String database = postgres.createDatabase("global_limit");
    ConcurrentLinkedQueue<Long> calls = new ConcurrentLinkedQueue<>();
    Map<String, Integer> byMessage = new ConcurrentHashMap<>();
    Map<String, Integer> byWorker = new ConcurrentHashMap<>();
    HttpServer partner = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    partner.createContext(
        "/",
        exchange -> {
          calls.add(System.nanoTime());
          byMessage.merge(exchange.getRequestHeaders().getFirst("X-Message"), 1, Integer::sum);
          byWorker.merge(exchange.getRequestHeaders().getFirst("X-Worker"), 1, Integer::sum);
          exchange.sendResponseHeaders(200, -1);
          exchange.close();
        });
    partner.setExecutor(java.util.concurrent.Executors.newFixedThreadPool(8));
    partner.start();
    WorkerProcesses processes = new WorkerProcesses();
    try {
      send(sqs, queues.queueUrl());
      long started = System.nanoTime();
      for (int i = 0; i < PROCESSES; i++) {
        Map<String, String> env = WorkerApplicationIT.environment(sqs, queues);
        env.put("SQSWORKER_HANDLER_CLASS", PartnerCallHandler.class.getName());
        env.put("SQSWORKER_CONCURRENCY", "8");
        env.put("SQSWORKER_IDEMPOTENCY", "off");
        env.put("SQSWORKER_JDBC_URL", postgres.jdbcUrl(database));
        env.put("SQSWORKER_JDBC_USER", LocalPostgres.USER);
        env.put("SQSWORKER_JDBC_PASSWORD", LocalPostgres.PASSWORD);
        env.put("SQSWORKER_DOWNSTREAM_PARTNER_GLOBAL_RATE_LIMIT", String.valueOf(LIMIT));
        env.put("SQSWORKER_DOWNSTREAM_PARTNER_GLOBAL_RATE_PERIOD", "1s");
        env.put("SQSWORKER_DOWNSTREAM_PARTNER_GLOBAL_RATE_FALLBACK", "0.25");
        env.put("PARTNER_URL", "http://127.0.0.1:" + partner.getAddress().getPort() + "/call");
        processes.start(GlobalLimitWorkerMain.class, env, work.resolve("worker-" + i));
      }

      await().atMost(Duration.ofSeconds(60)).until(() -> !calls.isEmpty());
      LOG.info(
          "First call {} ms after the processes were started",
          (calls.peek() - started) / 1_000_000);
      await().atMost(Duration.ofSeconds(120)).until(() -> byMessage.size() == MESSAGES);
      await().atMost(Duration.ofSeconds(30)).until(() -> sqs.messageCount(queues.queueUrl()) == 0);

      long reservations = 0;
      for (int port : processes.ports()) {
        reservations += (long) metric(port, "sqsworker_downstream_global_rate_reservations_total");
        JsonNode ready =
            WorkerApplicationIT.JSON.readTree(
                WorkerApplicationIT.get(port, "/health/ready").body());
        assertThat(ready.toString()).contains("global rate limits shared");
      }
      List<Long> times = new ArrayList<>(calls);
      Collections.sort(times);
      int busiest = busiestWindow(times, Duration.ofSeconds(1));
      double seconds = (times.get(times.size() - 1) - times.get(0)) / 1e9;
      LOG.info(
          "{} calls by {} processes {} in {} s ({} per s); busiest 1 s window {}; {} reservations"
              + " ({} per call, 3 statements each)",
          times.size(),
          byWorker.size(),
          new TreeMap<>(byWorker).values(),
          String.format(java.util.Locale.ROOT, "%.1f", seconds),
          String.format(java.util.Locale.ROOT, "%.1f", times.size() / seconds),
          busiest,
          reservations,
          String.format(java.util.Locale.ROOT, "%.3f", reservations / (double) times.size()));

      assertThat(busiest).isLessThanOrEqualTo(LIMIT);
      assertThat(byMessage.values()).hasSize(MESSAGES).containsOnly(1);
      assertThat(byWorker).hasSizeGreaterThanOrEqualTo(2);
      assertThat(reservations / (double) times.size()).isLessThan(0.2);
      assertThat(sqs.drain(queues.dlqUrl())).isEmpty();
    } finally {
      processes.close();
      partner.stop(0);
      LOG.info("Processes stopped");
    }
  }

  private static void send(LocalSqs sqs, String queueUrl) {
    for (int i = 0; i < MESSAGES; i += 10) {
      List<SendMessageBatchRequestEntry> entries = new ArrayList<>();
      for (int j = i; j < i + 10; j++) {
        entries.add(
            SendMessageBatchRequestEntry.builder().id("m" + j).messageBody("call-" + j).build());
      }
      sqs.client().sendMessageBatch(b -> b.queueUrl(queueUrl).entries(entries));
    }
  }

  private static double metric(int port, String name) throws Exception {
    String text = WorkerApplicationIT.get(port, "/metrics").body();
    Matcher m = Pattern.compile("(?m)^" + name + "\\{[^}]*\\} ([0-9.eE+-]+)$").matcher(text);
    double sum = 0;
    while (m.find()) {
      sum += Double.parseDouble(m.group(1));
    }
    return sum;
  }

  /** The most calls in any window of {@code width} starting at a call. */
  static int busiestWindow(List<Long> sortedNanos, Duration width) {
    int most = 0;
    int j = 0;
    for (int i = 0; i < sortedNanos.size(); i++) {
      while (j < sortedNanos.size() && sortedNanos.get(j) - sortedNanos.get(i) < width.toNanos()) {
        j++;
      }
      most = Math.max(most, j - i);
    }
    return most;
  }
}
