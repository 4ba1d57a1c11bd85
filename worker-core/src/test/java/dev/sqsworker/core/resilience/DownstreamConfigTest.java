package dev.sqsworker.core.resilience;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sqsworker.core.ConfigurationException;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DownstreamConfigTest {

  @Test
  void defaultsAreTheDocumentedConstants() {
    DownstreamConfig config = DownstreamConfig.defaults();
    assertThat(config.breakerFailureRate()).isEqualTo(50);
    assertThat(config.breakerWindow()).isEqualTo(20);
    assertThat(config.breakerMinCalls()).isEqualTo(10);
    assertThat(config.breakerOpenFor()).isEqualTo(Duration.ofSeconds(30));
    assertThat(config.breakerHalfOpenCalls()).isEqualTo(3);
    assertThat(config.retryAttempts()).isEqualTo(3);
    assertThat(config.retryBase()).isEqualTo(Duration.ofMillis(100));
    assertThat(config.retryCap()).isEqualTo(Duration.ofSeconds(2));
    assertThat(config.timeout()).isEqualTo(DownstreamConfig.DEFAULT_TIMEOUT);
    assertThat(config.maxConcurrent()).isZero();
    assertThat(config.rateLimit()).isZero();
  }

  @Test
  void readsEveryOptionFromItsEnvironmentVariable() {
    Map<String, String> env =
        Map.ofEntries(
            Map.entry("SQSWORKER_DOWNSTREAM_PAYMENTS_API_TIMEOUT", "750ms"),
            Map.entry("SQSWORKER_DOWNSTREAM_PAYMENTS_API_MAX_CONCURRENT", "8"),
            Map.entry("SQSWORKER_DOWNSTREAM_PAYMENTS_API_MAX_WAIT", "2s"),
            Map.entry("SQSWORKER_DOWNSTREAM_PAYMENTS_API_RATE_LIMIT", "20"),
            Map.entry("SQSWORKER_DOWNSTREAM_PAYMENTS_API_RATE_PERIOD", "PT0.5S"),
            Map.entry("SQSWORKER_DOWNSTREAM_PAYMENTS_API_GLOBAL_RATE_LIMIT", "50"),
            Map.entry("SQSWORKER_DOWNSTREAM_PAYMENTS_API_GLOBAL_RATE_PERIOD", "2s"),
            Map.entry("SQSWORKER_DOWNSTREAM_PAYMENTS_API_GLOBAL_RATE_FALLBACK", "0.25"),
            Map.entry("SQSWORKER_DOWNSTREAM_PAYMENTS_API_BREAKER_FAILURE_RATE", "25"),
            Map.entry("SQSWORKER_DOWNSTREAM_PAYMENTS_API_BREAKER_WINDOW", "40"),
            Map.entry("SQSWORKER_DOWNSTREAM_PAYMENTS_API_BREAKER_MIN_CALLS", "5"),
            Map.entry("SQSWORKER_DOWNSTREAM_PAYMENTS_API_BREAKER_OPEN_FOR", "1m"),
            Map.entry("SQSWORKER_DOWNSTREAM_PAYMENTS_API_BREAKER_HALF_OPEN_CALLS", "2"),
            Map.entry("SQSWORKER_DOWNSTREAM_PAYMENTS_API_RETRY_ATTEMPTS", "4"),
            Map.entry("SQSWORKER_DOWNSTREAM_PAYMENTS_API_RETRY_BASE", "50ms"),
            Map.entry("SQSWORKER_DOWNSTREAM_PAYMENTS_API_RETRY_CAP", "1s"),
            Map.entry("SQSWORKER_DOWNSTREAM_PAYMENTS_API_RETRY_AFTER_MAX", "3s"),
            Map.entry("SQSWORKER_DOWNSTREAM_PAYMENTS_API_ADAPTIVE_CONCURRENCY", "TRUE"),
            Map.entry("SQSWORKER_DOWNSTREAM_PAYMENTS_API_ADAPTIVE_LATENCY", "250ms"),
            Map.entry("SQSWORKER_DOWNSTREAM_OTHER_TIMEOUT", "1h"));

    DownstreamConfig config = DownstreamConfig.builder().environment("payments-api", env).build();

    assertThat(config.timeout()).isEqualTo(Duration.ofMillis(750));
    assertThat(config.maxConcurrent()).isEqualTo(8);
    assertThat(config.maxWait()).isEqualTo(Duration.ofSeconds(2));
    assertThat(config.rateLimit()).isEqualTo(20);
    assertThat(config.ratePeriod()).isEqualTo(Duration.ofMillis(500));
    assertThat(config.globalRateLimit()).isEqualTo(50);
    assertThat(config.globalRatePeriod()).isEqualTo(Duration.ofSeconds(2));
    assertThat(config.globalRateFallback()).isEqualTo(0.25);
    assertThat(config.breakerFailureRate()).isEqualTo(25);
    assertThat(config.breakerWindow()).isEqualTo(40);
    assertThat(config.breakerMinCalls()).isEqualTo(5);
    assertThat(config.breakerOpenFor()).isEqualTo(Duration.ofMinutes(1));
    assertThat(config.breakerHalfOpenCalls()).isEqualTo(2);
    assertThat(config.retryAttempts()).isEqualTo(4);
    assertThat(config.retryBase()).isEqualTo(Duration.ofMillis(50));
    assertThat(config.retryCap()).isEqualTo(Duration.ofSeconds(1));
    assertThat(config.retryAfterMax()).isEqualTo(Duration.ofSeconds(3));
    assertThat(config.adaptiveConcurrency()).isTrue();
    assertThat(config.adaptiveLatency()).isEqualTo(Duration.ofMillis(250));
  }

  @Test
  void environmentOverridesOnlyWhatItSets() {
    DownstreamConfig config =
        DownstreamConfig.builder()
            .timeout(Duration.ofSeconds(3))
            .retryAttempts(5)
            .environment("payments", Map.of("SQSWORKER_DOWNSTREAM_PAYMENTS_RETRY_ATTEMPTS", "2"))
            .build();
    assertThat(config.timeout()).isEqualTo(Duration.ofSeconds(3));
    assertThat(config.retryAttempts()).isEqualTo(2);
  }

  @Test
  void theEnvironmentOverridesTheCodeWhateverTheOrderOfTheCalls() {
    Map<String, String> env = Map.of("SQSWORKER_DOWNSTREAM_TAX_RETRY_ATTEMPTS", "4");
    DownstreamConfig envFirst =
        DownstreamConfig.builder()
            .environment("tax", env)
            .retryAttempts(2)
            .maxConcurrent(7)
            .build();
    DownstreamConfig envLast =
        DownstreamConfig.builder()
            .retryAttempts(2)
            .maxConcurrent(7)
            .environment("tax", env)
            .build();
    assertThat(envFirst.retryAttempts()).isEqualTo(4);
    assertThat(envLast.retryAttempts()).isEqualTo(4);
    // An option without a variable keeps the value in code.
    assertThat(envFirst.maxConcurrent()).isEqualTo(7);
    assertThat(envLast.maxConcurrent()).isEqualTo(7);
  }

  @Test
  void invalidEnvironmentValuesAreReportedTogetherByVariable() {
    assertThatThrownBy(
            () ->
                DownstreamConfig.builder()
                    .environment(
                        "payments",
                        Map.of(
                            "SQSWORKER_DOWNSTREAM_PAYMENTS_BREAKER_FAILURE_RATE", "150",
                            "SQSWORKER_DOWNSTREAM_PAYMENTS_TIMEOUT", "soon"))
                    .build())
        .isInstanceOfSatisfying(
            ConfigurationException.class,
            e ->
                assertThat(e.problems())
                    .containsExactlyInAnyOrder(
                        "SQSWORKER_DOWNSTREAM_PAYMENTS_BREAKER_FAILURE_RATE: breakerFailureRate"
                            + " must be between 1 and 100, was 150",
                        "SQSWORKER_DOWNSTREAM_PAYMENTS_TIMEOUT: 'soon' is not a duration (use e.g."
                            + " 30s, 500ms, 5m, 1h or PT30S)"));
  }

  @Test
  void globalRateLimitOptionsNameTheOptionAndTheValue() {
    assertThat(DownstreamConfig.defaults().globalRateLimit()).isZero();
    assertThat(DownstreamConfig.defaults().globalRateFallback()).isEqualTo(0.1);
    assertThatThrownBy(() -> DownstreamConfig.builder().globalRateLimit(1))
        .hasMessageStartingWith("globalRateLimit must be 0 (off) or between 2 and 1000000, was 1");
    assertThatThrownBy(() -> DownstreamConfig.builder().globalRateFallback(0))
        .hasMessage("globalRateFallback must be above 0 and at most 1, was 0.0");
    assertThatThrownBy(
            () ->
                DownstreamConfig.builder()
                    .environment("x", Map.of("SQSWORKER_DOWNSTREAM_X_GLOBAL_RATE_FALLBACK", "half"))
                    .build())
        .hasMessage(
            "SQSWORKER_DOWNSTREAM_X_GLOBAL_RATE_FALLBACK: 'half' is not a number like 0.25");
    DownstreamConfig config =
        DownstreamConfig.builder().globalRateLimit(50, Duration.ofSeconds(1)).build();
    assertThat(config.toString()).contains("globalRate=50/1s");
  }

  @Test
  void settersNameTheOptionAndTheValue() {
    assertThatThrownBy(() -> DownstreamConfig.builder().retryAttempts(0))
        .hasMessage("retryAttempts must be between 1 and 10, was 0");
    assertThatThrownBy(() -> DownstreamConfig.builder().breakerOpenFor(Duration.ofMillis(10)))
        .hasMessage("breakerOpenFor must be between 100ms and 12h, was 10ms");
    assertThatThrownBy(() -> DownstreamConfig.builder().maxConcurrent(-1))
        .hasMessage("maxConcurrent must be between 0 and 10000, was -1");
    assertThatThrownBy(
            () ->
                DownstreamConfig.builder()
                    .environment("x", Map.of("SQSWORKER_DOWNSTREAM_X_ADAPTIVE_CONCURRENCY", "yes"))
                    .build())
        .hasMessage("SQSWORKER_DOWNSTREAM_X_ADAPTIVE_CONCURRENCY: 'yes' is not true or false");
  }

  @Test
  void buildChecksOptionsTogether() {
    assertThatThrownBy(
            () ->
                DownstreamConfig.builder()
                    .breakerWindow(5)
                    .breakerMinCalls(6)
                    .retryBase(Duration.ofSeconds(1))
                    .retryCap(Duration.ofMillis(500))
                    .adaptiveConcurrency(true)
                    .build())
        .isInstanceOfSatisfying(
            ConfigurationException.class,
            e ->
                assertThat(e.problems())
                    .containsExactly(
                        "breakerMinCalls (6) must be at most breakerWindow (5)",
                        "retryCap (500ms) must be at least retryBase (1s)",
                        "adaptiveConcurrency needs maxConcurrent, its upper limit, above 0"));
  }

  @Test
  void toBuilderDerivesAChangedCopy() {
    DownstreamConfig base = DownstreamConfig.builder().rate(20, Duration.ofSeconds(1)).build();
    DownstreamConfig changed = base.toBuilder().timeout(Duration.ofSeconds(1)).build();
    assertThat(changed.rateLimit()).isEqualTo(20);
    assertThat(changed.timeout()).isEqualTo(Duration.ofSeconds(1));
    assertThat(base.timeout()).isEqualTo(DownstreamConfig.DEFAULT_TIMEOUT);
  }

  @Test
  void environmentNamesAreUpperCasedWithUnderscores() {
    assertThat(DownstreamConfig.environmentVariable("payments-api.v2", "TIMEOUT"))
        .isEqualTo("SQSWORKER_DOWNSTREAM_PAYMENTS_API_V2_TIMEOUT");
  }
}
