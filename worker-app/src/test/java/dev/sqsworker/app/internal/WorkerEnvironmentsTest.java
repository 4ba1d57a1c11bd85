package dev.sqsworker.app.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.sqsworker.app.internal.AppSettingsTest.BatchHandler;
import dev.sqsworker.app.internal.AppSettingsTest.PlainHandler;
import dev.sqsworker.core.ConfigurationException;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WorkerEnvironmentsTest {

  static final String BASE = "http://localhost:9324/000000000000/";

  static Map<String, String> twoWorkers() {
    Map<String, String> env = new HashMap<>();
    env.put("SQSWORKER_WORKERS", "orders, refunds-eu");
    env.put("SQSWORKER_ORDERS_QUEUE_URL", BASE + "orders");
    env.put("SQSWORKER_ORDERS_HANDLER_CLASS", PlainHandler.class.getName());
    env.put("SQSWORKER_REFUNDS_EU_QUEUE_URL", BASE + "refunds");
    env.put("SQSWORKER_REFUNDS_EU_HANDLER_CLASS", BatchHandler.class.getName());
    env.put("SQSWORKER_REFUNDS_EU_CONCURRENCY", "3");
    env.put("SQSWORKER_CONCURRENCY", "8"); // shared default
    env.put("SQSWORKER_MAX_ATTEMPTS", "7"); // shared default
    env.put("AWS_REGION", "eu-west-1");
    return env;
  }

  @Test
  void eachWorkerReadsItsOwnOptionsAndTheSharedOnesAsDefaults() {
    AppSettings settings = AppSettings.fromEnvironment(twoWorkers());

    assertThat(settings.workers())
        .extracting(AppSettings.WorkerSettings::name)
        .containsExactly("orders", "refunds-eu");
    var orders = settings.workers().get(0);
    var refunds = settings.workers().get(1);
    assertThat(orders.worker().queueUrl()).isEqualTo(BASE + "orders");
    assertThat(orders.handler().handlerClass()).isEqualTo(PlainHandler.class);
    assertThat(orders.worker().concurrency()).isEqualTo(8);
    assertThat(refunds.worker().queueUrl()).isEqualTo(BASE + "refunds");
    assertThat(refunds.handler().handlerClass()).isEqualTo(BatchHandler.class);
    assertThat(refunds.worker().concurrency()).isEqualTo(3);
    assertThat(refunds.worker().maxAttempts()).isEqualTo(7);
    assertThat(orders.worker().maxAttempts()).isEqualTo(7);
  }

  @Test
  void theOnlyWorkerIsNamedAfterItsQueue() {
    Map<String, String> env = AppSettingsTest.valid();
    assertThat(AppSettings.fromEnvironment(env).workers())
        .singleElement()
        .extracting(AppSettings.WorkerSettings::name)
        .isEqualTo("orders");
  }

  @Test
  void problemsNameTheWorkerAndItsVariables() {
    Map<String, String> env = twoWorkers();
    env.remove("SQSWORKER_REFUNDS_EU_QUEUE_URL");
    env.put("SQSWORKER_ORDERS_CONCURRENCY", "0");

    var problems =
        catchThrowableOfType(ConfigurationException.class, () -> AppSettings.fromEnvironment(env))
            .problems();

    assertThat(problems)
        .anySatisfy(
            p ->
                assertThat(p)
                    .startsWith("worker orders (SQSWORKER_ORDERS_*): ")
                    .contains("concurrency must be between"))
        .anySatisfy(
            p ->
                assertThat(p)
                    .startsWith("worker refunds-eu (SQSWORKER_REFUNDS_EU_*): ")
                    .contains("SQSWORKER_QUEUE_URL) is required"));
  }

  @Test
  void aSharedQueueUrlABadNameARepeatAndAClashAreRefused() {
    Map<String, String> env = twoWorkers();
    env.put("SQSWORKER_WORKERS", "orders,orders,Refunds,jdbc");
    env.put("SQSWORKER_QUEUE_URL", BASE + "shared");

    var problems =
        catchThrowableOfType(ConfigurationException.class, () -> AppSettings.fromEnvironment(env))
            .problems();

    assertThat(problems)
        .contains("SQSWORKER_WORKERS: 'orders' is named twice")
        .anySatisfy(p -> assertThat(p).startsWith("SQSWORKER_WORKERS: 'Refunds' is not a worker"))
        .anySatisfy(p -> assertThat(p).startsWith("SQSWORKER_WORKERS: 'jdbc' would make"))
        .contains(
            "SQSWORKER_QUEUE_URL is set with SQSWORKER_WORKERS: each worker needs its own, e.g."
                + " SQSWORKER_ORDERS_QUEUE_URL");
  }

  @Test
  void perWorkerVariablesAreKnown() {
    assertThat(UnknownVariables.warnings(twoWorkers())).isEmpty();
    Map<String, String> env = twoWorkers();
    env.put("SQSWORKER_ORDERS_BATCHSIZE", "5");
    assertThat(UnknownVariables.warnings(env))
        .singleElement()
        .asString()
        .endsWith("did you mean SQSWORKER_ORDERS_BATCH_SIZE?");
  }
}
