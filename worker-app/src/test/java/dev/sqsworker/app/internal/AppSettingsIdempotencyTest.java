package dev.sqsworker.app.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sqsworker.core.ConfigurationException;
import dev.sqsworker.core.idempotency.IdempotencyMode;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AppSettingsIdempotencyTest {

  private static Map<String, String> env(String... pairs) {
    Map<String, String> env = new HashMap<>();
    env.put("SQSWORKER_QUEUE_URL", "http://localhost:9324/000000000000/orders");
    env.put("SQSWORKER_DLQ_URL", "http://localhost:9324/000000000000/orders-dlq");
    env.put("SQSWORKER_HANDLER_CLASS", AppSettingsTest.PlainHandler.class.getName());
    env.put("AWS_REGION", "eu-west-1");
    for (int i = 0; i < pairs.length; i += 2) {
      env.put(pairs[i], pairs[i + 1]);
    }
    return env;
  }

  @Test
  void idempotencyIsOnWithADatabaseAndOffWithout() {
    assertThat(AppSettings.fromEnvironment(env()).idempotency()).isEmpty();
    AppSettings withDb =
        AppSettings.fromEnvironment(
            env(
                "SQSWORKER_JDBC_URL",
                "jdbc:postgresql://db:5432/app",
                "SQSWORKER_JDBC_USER",
                "app"));
    assertThat(withDb.idempotency())
        .hasValueSatisfying(
            i -> {
              assertThat(i.mode()).isEqualTo(IdempotencyMode.NON_TRANSACTIONAL);
              assertThat(i.ttl()).isEqualTo(Duration.ofDays(7));
              assertThat(i.keyAttribute()).isEqualTo("Idempotency-Key");
            });
  }

  @Test
  void transactionalModeWithItsOptions() {
    AppSettings settings =
        AppSettings.fromEnvironment(
            env(
                "SQSWORKER_JDBC_URL", "jdbc:postgresql://db:5432/app",
                "SQSWORKER_JDBC_USER", "app",
                "SQSWORKER_IDEMPOTENCY", "transactional",
                "SQSWORKER_IDEMPOTENCY_TTL", "2d",
                "SQSWORKER_IDEMPOTENCY_KEY_ATTRIBUTE", "order-id"));
    assertThat(settings.idempotency().orElseThrow())
        .isEqualTo(
            new AppSettings.IdempotencySettings(
                IdempotencyMode.TRANSACTIONAL, Duration.ofDays(2), "order-id"));
  }

  @Test
  void badIdempotencySettingsAreListedWithTheRest() {
    assertThatThrownBy(
            () ->
                AppSettings.fromEnvironment(
                    env("SQSWORKER_IDEMPOTENCY", "sometimes", "SQSWORKER_CONCURRENCY", "0")))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining(
            "SQSWORKER_IDEMPOTENCY must be off, non_transactional or transactional")
        .hasMessageContaining("SQSWORKER_CONCURRENCY");
    assertThatThrownBy(
            () -> AppSettings.fromEnvironment(env("SQSWORKER_IDEMPOTENCY", "transactional")))
        .hasMessageContaining("SQSWORKER_IDEMPOTENCY=transactional needs SQSWORKER_JDBC_URL");
  }
}
