package dev.sqsworker.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WorkerConfigTest {

  private static final String URL = "http://localhost:9324/000000000000/orders";

  @Test
  void defaultsAreDocumentedConstants() {
    WorkerConfig config = WorkerConfig.builder().queueUrl(URL).build();
    assertThat(config.concurrency()).isEqualTo(WorkerConfig.DEFAULT_CONCURRENCY);
    assertThat(config.visibilityTimeout()).isEqualTo(WorkerConfig.DEFAULT_VISIBILITY_TIMEOUT);
    assertThat(config.maxAttempts()).isEqualTo(WorkerConfig.DEFAULT_MAX_ATTEMPTS);
    assertThat(config.shutdownGrace()).isEqualTo(Duration.ofSeconds(25));
    assertThat(config.pollers()).isEqualTo(2);
    assertThat(config.queueName()).isEqualTo("orders");
    assertThat(config.fifo()).isFalse();
  }

  @Test
  void pollersFollowConcurrencyUpToSixteen() {
    assertThat(WorkerConfig.builder().queueUrl(URL).concurrency(64).build().pollers())
        .isEqualTo(13);
    assertThat(WorkerConfig.builder().queueUrl(URL).concurrency(16).build().pollers()).isEqualTo(4);
    assertThat(WorkerConfig.builder().queueUrl(URL).concurrency(1).build().pollers()).isEqualTo(1);
    assertThat(WorkerConfig.builder().queueUrl(URL).concurrency(1000).build().pollers())
        .isEqualTo(16);
    assertThat(WorkerConfig.builder().queueUrl(URL).concurrency(64).pollers(2).build().pollers())
        .isEqualTo(2);
  }

  @Test
  void settersNameTheOptionAndTheValue() {
    assertThatThrownBy(() -> WorkerConfig.builder().concurrency(0))
        .hasMessage("concurrency must be between 1 and 10000, was 0");
    assertThatThrownBy(() -> WorkerConfig.builder().visibilityTimeout(Duration.ofMillis(1500)))
        .hasMessageContaining("visibilityTimeout must be whole seconds");
    assertThatThrownBy(() -> WorkerConfig.builder().waitTime(Duration.ofSeconds(21)))
        .hasMessage("waitTime must be between 0s and 20s, was 21s");
    assertThatThrownBy(() -> WorkerConfig.builder().queueUrl("orders"))
        .hasMessageContaining("queueUrl must be a queue URL");
  }

  @Test
  void buildReportsEveryProblemTogether() {
    assertThatThrownBy(
            () ->
                WorkerConfig.builder()
                    .visibilityTimeout(Duration.ofMinutes(10))
                    .maxHandlingTime(Duration.ofMinutes(5))
                    .build())
        .isInstanceOf(ConfigurationException.class)
        .satisfies(
            e ->
                assertThat(((ConfigurationException) e).problems())
                    .hasSize(2)
                    .anySatisfy(p -> assertThat(p).contains("SQSWORKER_QUEUE_URL"))
                    .anySatisfy(p -> assertThat(p).contains("maxHandlingTime")));
  }

  @Test
  void readsEveryOptionFromTheEnvironment() {
    WorkerConfig config =
        WorkerConfig.builder()
            .environment(
                Map.ofEntries(
                    Map.entry("SQSWORKER_QUEUE_URL", URL + ".fifo"),
                    Map.entry("SQSWORKER_DLQ_URL", URL + "-dlq.fifo"),
                    Map.entry("SQSWORKER_CONCURRENCY", "32"),
                    Map.entry("SQSWORKER_POLLERS", "3"),
                    Map.entry("SQSWORKER_BATCH_SIZE", "5"),
                    Map.entry("SQSWORKER_WAIT_TIME", "10s"),
                    Map.entry("SQSWORKER_VISIBILITY_TIMEOUT", "PT45S"),
                    Map.entry("SQSWORKER_MAX_HANDLING_TIME", "2h"),
                    Map.entry("SQSWORKER_MAX_ATTEMPTS", "7"),
                    Map.entry("SQSWORKER_SHUTDOWN_GRACE", "20s"),
                    Map.entry("SQSWORKER_ACK_FLUSH_INTERVAL", "25ms"),
                    Map.entry("SQSWORKER_WORKER_ID", "w-1"),
                    Map.entry(
                        "SQSWORKER_NON_RETRYABLE_EXCEPTIONS",
                        "java.lang.IllegalArgumentException, java.lang.UnsupportedOperationException")))
            .build();
    assertThat(config.fifo()).isTrue();
    assertThat(config.dlqUrl()).contains(URL + "-dlq.fifo");
    assertThat(config.concurrency()).isEqualTo(32);
    assertThat(config.pollers()).isEqualTo(3);
    assertThat(config.batchSize()).isEqualTo(5);
    assertThat(config.waitTime()).isEqualTo(Duration.ofSeconds(10));
    assertThat(config.visibilityTimeout()).isEqualTo(Duration.ofSeconds(45));
    assertThat(config.maxHandlingTime()).isEqualTo(Duration.ofHours(2));
    assertThat(config.maxAttempts()).isEqualTo(7);
    assertThat(config.shutdownGrace()).isEqualTo(Duration.ofSeconds(20));
    assertThat(config.ackFlushInterval()).isEqualTo(Duration.ofMillis(25));
    assertThat(config.workerId()).isEqualTo("w-1");
    assertThat(config.nonRetryableExceptions())
        .containsExactly(IllegalArgumentException.class, UnsupportedOperationException.class);
  }

  @Test
  void theEnvironmentOverridesTheCodeWhateverTheOrderOfTheCalls() {
    Map<String, String> env = Map.of("SQSWORKER_QUEUE_URL", URL, "SQSWORKER_CONCURRENCY", "32");
    WorkerConfig envFirst =
        WorkerConfig.builder().environment(env).concurrency(20).maxAttempts(3).build();
    WorkerConfig envLast =
        WorkerConfig.builder().concurrency(20).maxAttempts(3).environment(env).build();
    assertThat(envFirst.concurrency()).isEqualTo(32);
    assertThat(envLast.concurrency()).isEqualTo(32);
    // An option whose variable is absent keeps the value in code.
    assertThat(envFirst.maxAttempts()).isEqualTo(3);
    assertThat(envLast.maxAttempts()).isEqualTo(3);
    // A configuration derived in code still yields to the environment it was built with.
    assertThat(envFirst.toBuilder().concurrency(5).build().concurrency()).isEqualTo(32);
    assertThat(envFirst.toBuilder().maxAttempts(4).build().maxAttempts()).isEqualTo(4);
  }

  @Test
  void environmentProblemsAreListedWithTheirVariables() {
    assertThatThrownBy(
            () ->
                WorkerConfig.builder()
                    .environment(
                        Map.of(
                            "SQSWORKER_QUEUE_URL", URL,
                            "SQSWORKER_CONCURRENCY", "many",
                            "SQSWORKER_MAX_ATTEMPTS", "0",
                            "SQSWORKER_VISIBILITY_TIMEOUT", "soon",
                            "SQSWORKER_NON_RETRYABLE_EXCEPTIONS", "com.example.Missing"))
                    .build())
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("4 problems")
        .hasMessageContaining("SQSWORKER_CONCURRENCY: 'many' is not a whole number")
        .hasMessageContaining(
            "SQSWORKER_MAX_ATTEMPTS: maxAttempts must be between 1 and 1000, was 0")
        .hasMessageContaining("SQSWORKER_VISIBILITY_TIMEOUT: 'soon' is not a duration")
        .hasMessageContaining("no class named 'com.example.Missing'");
  }

  @Test
  void fifoQueueNeedsFifoDlq() {
    assertThatThrownBy(
            () -> WorkerConfig.builder().queueUrl(URL + ".fifo").dlqUrl(URL + "-dlq").build())
        .hasMessageContaining("must be a FIFO queue exactly when");
  }

  @Test
  void toBuilderCopiesEverything() {
    WorkerConfig a = WorkerConfig.builder().queueUrl(URL).concurrency(7).maxAttempts(2).build();
    WorkerConfig b = a.toBuilder().concurrency(8).build();
    assertThat(b.maxAttempts()).isEqualTo(2);
    assertThat(b.concurrency()).isEqualTo(8);
    assertThat(a.concurrency()).isEqualTo(7);
  }

  @Test
  void latencyBucketsAreSortedBoundedAndReadFromTheEnvironment() {
    WorkerConfig config =
        WorkerConfig.builder()
            .queueUrl(URL)
            .environment(Map.of("SQSWORKER_LATENCY_BUCKETS", "2s, 10ms,100ms"))
            .build();
    assertThat(config.latencyBuckets())
        .containsExactly(Duration.ofMillis(10), Duration.ofMillis(100), Duration.ofSeconds(2));
    assertThat(WorkerConfig.builder().queueUrl(URL).build().latencyBuckets())
        .isEqualTo(WorkerConfig.DEFAULT_LATENCY_BUCKETS)
        .contains(Duration.ofSeconds(2));
    assertThatThrownBy(() -> WorkerConfig.builder().latencyBuckets(java.util.List.of()))
        .hasMessage("latencyBuckets must have 1 to 50 distinct durations, had 0");
    assertThatThrownBy(
            () -> WorkerConfig.builder().latencyBuckets(java.util.List.of(Duration.ZERO)))
        .hasMessageStartingWith("latencyBuckets element must be between 1ms and 12h");
  }

  @Test
  void serviceLevelsDefaultToTheDocumentedObjectives_andAreReadFromTheEnvironment() {
    assertThat(WorkerConfig.builder().queueUrl(URL).build().serviceLevels())
        .isEqualTo(ServiceLevels.DEFAULT)
        .isEqualTo(new ServiceLevels(0.999, Duration.ofSeconds(2), 0.99, Duration.ofDays(30)));
    WorkerConfig config =
        WorkerConfig.builder()
            .queueUrl(URL)
            .environment(
                Map.of(
                    "SQSWORKER_SLO_SUCCESS", "99.5%",
                    "SQSWORKER_SLO_LATENCY", "0.95",
                    "SQSWORKER_SLO_LATENCY_THRESHOLD", "500ms",
                    "SQSWORKER_SLO_WINDOW", "7d"))
            .build();
    assertThat(config.serviceLevels().successObjective()).isCloseTo(0.995, within(1e-12));
    assertThat(config.serviceLevels().latencyObjective()).isEqualTo(0.95);
    assertThat(config.serviceLevels().latencyThreshold()).isEqualTo(Duration.ofMillis(500));
    assertThat(config.serviceLevels().window()).isEqualTo(Duration.ofDays(7));
    assertThat(config.toBuilder().build().serviceLevels()).isEqualTo(config.serviceLevels());
  }

  @Test
  void badServiceLevelsAreReportedWithTheirVariables() {
    assertThatThrownBy(
            () ->
                WorkerConfig.builder()
                    .queueUrl(URL)
                    .environment(Map.of("SQSWORKER_SLO_SUCCESS", "100%"))
                    .build())
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("SQSWORKER_SLO_SUCCESS")
        .hasMessageContaining("was 1.0");
    assertThatThrownBy(
            () ->
                WorkerConfig.builder()
                    .queueUrl(URL)
                    .environment(Map.of("SQSWORKER_SLO_LATENCY", "most"))
                    .build())
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("SQSWORKER_SLO_LATENCY");
  }
}
