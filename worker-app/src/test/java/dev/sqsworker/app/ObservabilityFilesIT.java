package dev.sqsworker.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.sqsworker.core.resilience.DownstreamConfig;
import dev.sqsworker.core.resilience.Downstreams;
import dev.sqsworker.testkit.LocalSqs;
import dev.sqsworker.testkit.QueuePair;
import dev.sqsworker.testkit.WithLocalServices;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Grafana dashboard and the Prometheus rules under {@code docs/observability} use only metrics
 * the worker really exports: each metric name in their queries must appear in a real {@code
 * /metrics} scrape of a {@link WorkerApplication} that handled, retried and dead-lettered messages
 * and has a downstream with a circuit breaker. The rules also pass {@code promtool check rules}
 * where promtool is installed.
 */
@WithLocalServices
class ObservabilityFilesIT {

  static final Path DIR = root().resolve("docs/observability");
  static final ObjectMapper JSON = new ObjectMapper();
  static final Pattern NAME =
      Pattern.compile("\\b([a-z][a-z0-9_]*_[a-z0-9_]+|[a-z]+:[a-z_:0-9]+)\\b");
  static final Set<String> PROMQL =
      Set.of(
          "histogram_quantile",
          "label_values",
          "clamp_min",
          "rate_interval",
          "half_open",
          "dead_lettered");
  static Set<String> scraped;

  @BeforeAll
  static void scrape(LocalSqs sqs) throws Exception {
    QueuePair queues = sqs.createQueueWithDlq("observability", 10);
    Map<String, String> env = WorkerApplicationIT.environment(sqs, queues);
    env.put("SQSWORKER_HANDLER_CLASS", FailingTextHandler.class.getName());
    env.put("SQSWORKER_MAX_ATTEMPTS", "1");
    WorkerApplication app =
        WorkerApplication.builder()
            .environment(env)
            .customizer(
                (worker, context) -> {
                  Downstreams downstreams =
                      Downstreams.builder()
                          .downstream("tax", DownstreamConfig.builder().build())
                          .meterRegistry(context.meterRegistry())
                          .build();
                  worker.pauseWhileOpen(downstreams.get("tax"));
                })
            .build();
    try {
      app.start();
      for (String body : List.of("ok", "ok", "fail", "reject")) {
        sqs.client().sendMessage(b -> b.queueUrl(queues.queueUrl()).messageBody(body));
      }
      await()
          .atMost(Duration.ofSeconds(60))
          .until(
              () ->
                  WorkerApplicationIT.get(app.httpPort(), "/metrics")
                      .body()
                      .contains(
                          "sqsworker_messages_dead_lettered_total{queue=\"observability\","
                              + "reason=\"EXHAUSTED\""));
      scraped = new TreeSet<>();
      for (String line : WorkerApplicationIT.get(app.httpPort(), "/metrics").body().split("\n")) {
        if (!line.startsWith("#") && !line.isBlank()) {
          scraped.add(line.split("[{ ]", 2)[0]);
        }
      }
    } finally {
      app.close();
    }
  }

  @Test
  void everyDashboardQueryUsesExportedMetrics() throws Exception {
    JsonNode dashboard = JSON.readTree(DIR.resolve("grafana-dashboard.json").toFile());
    assertThat(dashboard.get("panels")).isNotEmpty();
    List<String> expressions = new ArrayList<>();
    dashboard
        .get("panels")
        .forEach(p -> p.get("targets").forEach(t -> expressions.add(t.get("expr").asText())));
    assertThat(expressions).hasSizeGreaterThanOrEqualTo(9);
    assertThat(unknownMetrics(expressions, Set.of())).isEmpty();
  }

  @Test
  void everySloMeterTheRunbookNamesIsExported() throws Exception {
    String runbook = Files.readString(root().resolve("docs/operations.md"));
    Matcher names = Pattern.compile("\\bsqsworker_slo_[a-z_]+").matcher(runbook);
    Set<String> documented = new TreeSet<>();
    while (names.find()) {
      documented.add(names.group());
    }
    assertThat(documented).hasSizeGreaterThanOrEqualTo(5);
    assertThat(documented).allSatisfy(name -> assertThat(scraped).contains(name));
  }

  @Test
  void everyRuleUsesExportedMetricsOrRecordedOnes() throws Exception {
    JsonNode rules =
        new ObjectMapper(new YAMLFactory()).readTree(DIR.resolve("prometheus-rules.yml").toFile());
    Set<String> recorded = new TreeSet<>();
    List<String> expressions = new ArrayList<>();
    List<String> alerts = new ArrayList<>();
    for (JsonNode group : rules.get("groups")) {
      for (JsonNode rule : group.get("rules")) {
        expressions.add(rule.get("expr").asText());
        if (rule.has("record")) {
          recorded.add(rule.get("record").asText());
        } else {
          alerts.add(rule.get("alert").asText());
          assertThat(rule.get("annotations").get("runbook").asText()).startsWith("docs/");
        }
      }
    }
    assertThat(alerts)
        .contains(
            "SqsWorkerDeadLettersGrowing",
            "SqsWorkerMessagesWaitLong",
            "SqsWorkerPollerStuck",
            "SqsWorkerPollingPaused",
            "SqsWorkerSuccessBudgetFastBurn",
            "SqsWorkerSuccessBudgetSlowBurn");
    assertThat(unknownMetrics(expressions, recorded)).isEmpty();
  }

  @Test
  void promtoolAcceptsTheRules() throws Exception {
    Process which = new ProcessBuilder("sh", "-c", "command -v promtool").start();
    Assumptions.assumeTrue(
        which.waitFor() == 0, "promtool is not installed: `promtool check rules` skipped");
    Process check =
        new ProcessBuilder(
                "promtool", "check", "rules", DIR.resolve("prometheus-rules.yml").toString())
            .redirectErrorStream(true)
            .start();
    assertThat(check.waitFor(60, TimeUnit.SECONDS)).isTrue();
    String out = new String(check.getInputStream().readAllBytes());
    assertThat(check.exitValue()).as(out).isZero();
  }

  /** Metric names in the expressions that the scrape lacks (labels and functions aside). */
  private static Set<String> unknownMetrics(List<String> expressions, Set<String> recorded) {
    Set<String> unknown = new TreeSet<>();
    for (String expr : expressions) {
      String withoutLabels = expr.replaceAll("\\{[^}]*}", "").replaceAll("\\$\\w+", "");
      Matcher m = NAME.matcher(withoutLabels);
      while (m.find()) {
        String name = m.group(1);
        if (PROMQL.contains(name) || recorded.contains(name) || scraped.contains(name)) {
          continue;
        }
        unknown.add(name);
      }
    }
    return unknown;
  }

  private static Path root() {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null && !Files.isDirectory(dir.resolve("docs"))) {
      dir = dir.getParent();
    }
    return dir;
  }
}
