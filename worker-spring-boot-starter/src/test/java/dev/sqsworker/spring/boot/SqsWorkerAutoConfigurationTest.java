package dev.sqsworker.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sqsworker.core.ConfigurationException;
import dev.sqsworker.core.MessageContext;
import dev.sqsworker.core.MessageHandler;
import dev.sqsworker.core.resilience.Downstreams;
import dev.sqsworker.spring.boot.actuate.ReadinessGroupPostProcessor;
import dev.sqsworker.spring.boot.actuate.SqsWorkerHealthAutoConfiguration;
import java.net.URI;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.boot.actuate.health.CompositeHealthContributor;
import org.springframework.boot.actuate.health.HealthContributor;
import org.springframework.boot.actuate.health.HealthEndpointGroupsPostProcessor;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.actuate.health.Status;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;

/** One test per condition of the auto-configuration; no server is contacted. */
class SqsWorkerAutoConfigurationTest {

  private final ApplicationContextRunner runner =
      new ApplicationContextRunner()
          .withConfiguration(
              AutoConfigurations.of(
                  SqsWorkerAutoConfiguration.class, SqsWorkerHealthAutoConfiguration.class))
          .withPropertyValues("sqsworker.sqs.region=eu-west-1");

  /** Workers configured but not started, so nothing talks to SQS. */
  private ApplicationContextRunner withOrdersWorker() {
    return runner
        .withUserConfiguration(Handlers.class)
        .withPropertyValues(
            "sqsworker.auto-startup=false",
            "sqsworker.workers.orders.queue-url=http://localhost:1/000000000000/orders",
            "sqsworker.workers.orders.handler=orderHandler");
  }

  @Test
  void withoutAnSqsClientBean_buildsOneFromTheProperties() {
    runner
        .withPropertyValues("sqsworker.sqs.endpoint=http://localhost:1")
        .run(
            context -> {
              assertThat(context)
                  .hasSingleBean(SqsAsyncClient.class)
                  .hasSingleBean(SqsWorkers.class);
              SqsAsyncClient client = context.getBean(SqsAsyncClient.class);
              assertThat(client.serviceClientConfiguration().region()).isEqualTo(Region.EU_WEST_1);
              assertThat(client.serviceClientConfiguration().endpointOverride())
                  .contains(URI.create("http://localhost:1"));
            });
  }

  @Test
  void withTheApplicationsSqsClient_usesItAndBuildsNone() {
    runner
        .withUserConfiguration(OwnClient.class)
        .run(
            context -> {
              assertThat(context).hasSingleBean(SqsAsyncClient.class);
              assertThat(context.getBean(SqsAsyncClient.class))
                  .isSameAs(context.getBean("applicationSqsClient"));
            });
  }

  @Test
  void whenDisabled_createsNothing() {
    runner
        .withPropertyValues("sqsworker.enabled=false")
        .run(
            context ->
                assertThat(context)
                    .doesNotHaveBean(SqsWorkers.class)
                    .doesNotHaveBean(SqsAsyncClient.class)
                    .doesNotHaveBean("sqsWorkersHealthContributor"));
  }

  @Test
  void withoutTheSqsSdk_backsOff() {
    runner
        .withClassLoader(new FilteredClassLoader(SqsAsyncClient.class))
        .run(context -> assertThat(context).doesNotHaveBean(SqsWorkers.class));
  }

  @Test
  void withTheApplicationsDownstreams_usesThem() {
    runner
        .withUserConfiguration(OwnDownstreams.class)
        .run(
            context -> {
              assertThat(context).hasSingleBean(Downstreams.class);
              assertThat(context.getBean(Downstreams.class))
                  .isSameAs(context.getBean("applicationDownstreams"));
            });
  }

  @Test
  void downstreamsComeFromTheProperties() {
    runner
        .withPropertyValues(
            "sqsworker.downstreams.payments.timeout=3s",
            "sqsworker.downstreams.payments.breaker-open-for=45s")
        .run(
            context -> {
              var payments = context.getBean(Downstreams.class).get("payments");
              assertThat(payments.config().timeout()).hasSeconds(3);
              assertThat(payments.config().breakerOpenFor()).hasSeconds(45);
            });
  }

  @Test
  void aGlobalRateLimitFromTheProperties_keepsItsBucketInTheApplicationsDataSource() {
    runner
        .withBean(
            "applicationDataSource",
            DataSource.class,
            () -> new DriverManagerDataSource("jdbc:postgresql://localhost:1/none"))
        .withPropertyValues(
            // No database is contacted: the table is not migrated, and no call is made.
            "sqsworker.global-rate-store.migrate-on-start=false",
            "sqsworker.downstreams.partner.global-rate-limit=50",
            "sqsworker.downstreams.partner.global-rate-period=2s",
            "sqsworker.downstreams.partner.global-rate-fallback=0.25")
        .run(
            context -> {
              assertThat(context).hasNotFailed();
              var partner = context.getBean(Downstreams.class).get("partner");
              assertThat(partner.config().globalRateLimit()).isEqualTo(50);
              assertThat(partner.config().globalRatePeriod()).hasSeconds(2);
              assertThat(partner.config().globalRateFallback()).isEqualTo(0.25);
              assertThat(partner.globalRateLimitFallback()).isEmpty();
            });
  }

  @Test
  void aGlobalRateLimitWithoutADataSource_failsTheStartNamingTheProperty() {
    runner
        .withPropertyValues("sqsworker.downstreams.partner.global-rate-limit=50")
        .run(
            context ->
                assertThat(startupProblems(context))
                    .containsExactly(
                        "sqsworker.downstreams.partner.global-rate-limit needs one DataSource bean"
                            + " (its bucket is kept there)"));
  }

  @Test
  void aBadGlobalRateLimit_failsTheStartNamingTheDownstream() {
    runner
        .withPropertyValues("sqsworker.downstreams.partner.global-rate-limit=1")
        .run(
            context ->
                assertThat(startupProblems(context))
                    .singleElement(org.assertj.core.api.InstanceOfAssertFactories.STRING)
                    .startsWith("sqsworker.downstreams.partner: globalRateLimit must be"));
  }

  /** The problems of the ConfigurationException that failed the start. */
  private static java.util.List<String> startupProblems(
      org.springframework.boot.test.context.assertj.AssertableApplicationContext context) {
    assertThat(context).hasFailed();
    Throwable failure = context.getStartupFailure();
    while (!(failure instanceof ConfigurationException) && failure.getCause() != null) {
      failure = failure.getCause();
    }
    assertThat(failure).isInstanceOf(ConfigurationException.class);
    return ((ConfigurationException) failure).problems();
  }

  @Test
  void aWorkerPerEntry_eachWithItsHandlerAndOptions() {
    withOrdersWorker()
        .withPropertyValues(
            "sqsworker.workers.audit.queue-url=http://localhost:1/000000000000/audit",
            "sqsworker.workers.audit.handler=auditHandler",
            "sqsworker.workers.audit.concurrency=3")
        .run(
            context -> {
              assertThat(context).hasNotFailed();
              assertThat(context.getBean(SqsWorkers.class).names())
                  .containsExactly("orders", "audit");
              assertThat(context.getBean(SqsWorkers.class).find("orders")).isEmpty();
            });
  }

  @Test
  void badEntries_failTheStartNamingEveryProperty() {
    runner
        .withUserConfiguration(Handlers.class)
        .withPropertyValues(
            "sqsworker.auto-startup=false",
            "sqsworker.workers.orders.concurrency=0",
            "sqsworker.workers.orders.handler=nosuchHandler",
            "sqsworker.workers.audit.queue-name=audit",
            "sqsworker.workers.audit.queue-url=http://localhost:1/000000000000/audit",
            "sqsworker.workers.raw.queue-name=raw",
            "sqsworker.workers.raw.handler=rawHandler",
            "sqsworker.workers.raw.idempotency.mode=transactional")
        .run(
            context -> {
              assertThat(context).hasFailed();
              Throwable failure = context.getStartupFailure();
              while (!(failure instanceof ConfigurationException) && failure.getCause() != null) {
                failure = failure.getCause();
              }
              assertThat(failure).isInstanceOf(ConfigurationException.class);
              assertThat(((ConfigurationException) failure).problems())
                  .containsExactlyInAnyOrder(
                      "sqsworker.workers.orders.queue-url or sqsworker.workers.orders.queue-name is required",
                      "sqsworker.workers.orders.concurrency: concurrency must be between 1 and 10000, was 0",
                      "sqsworker.workers.orders.handler: no MessageHandler bean named 'nosuchHandler';"
                          + " MessageHandler beans: [orderHandler, auditHandler, rawHandler]",
                      "sqsworker.workers.audit.queue-url and sqsworker.workers.audit.queue-name are"
                          + " both set; give one",
                      "sqsworker.workers.audit.handler is required: the application has 3"
                          + " MessageHandler beans [orderHandler, auditHandler, rawHandler]",
                      "sqsworker.workers.raw.payload-type is required: the payload type of handler"
                          + " bean 'rawHandler' cannot be told from its type"
                          + " dev.sqsworker.core.MessageHandler<?> (declare it as"
                          + " MessageHandler<YourPayload> or set payload-type)",
                      "sqsworker.workers.raw.idempotency.mode=transactional needs one DataSource bean",
                      "sqsworker.workers.raw.idempotency.mode=transactional needs one"
                          + " PlatformTransactionManager bean");
            });
  }

  @Test
  void badHandlerMethods_failTheStartNamingEach() {
    runner
        .withUserConfiguration(BadMethods.class)
        .withPropertyValues(
            "sqsworker.auto-startup=false",
            "sqsworker.workers.notes.queue-url=http://localhost:1/000000000000/notes",
            "sqsworker.workers.notes.handler=someBean")
        .run(
            context -> {
              assertThat(context).hasFailed();
              Throwable failure = context.getStartupFailure();
              while (!(failure instanceof ConfigurationException) && failure.getCause() != null) {
                failure = failure.getCause();
              }
              assertThat(((ConfigurationException) failure).problems())
                  .containsExactlyInAnyOrder(
                      "@SqsWorkerHandler(\"notes\") sqsWorkerAutoConfigurationTest.BadMethods.tooMany must take (Payload) or"
                          + " (Payload, MessageContext), takes 3 parameters",
                      "sqsworker.workers.notes.handler is set, and @SqsWorkerHandler(\"notes\")"
                          + " sqsWorkerAutoConfigurationTest.BadMethods.note handles this worker too; keep one",
                      "@SqsWorkerHandler(\"nowhere\") sqsWorkerAutoConfigurationTest.BadMethods.lost: no worker"
                          + " sqsworker.workers.nowhere (give it a queue-url or queue-name)");
            });
  }

  @Test
  void aHandlerMethod_needsNoHandlerBean() {
    runner
        .withUserConfiguration(GoodMethod.class)
        .withPropertyValues(
            "sqsworker.auto-startup=false",
            "sqsworker.workers.notes.queue-url=http://localhost:1/000000000000/notes")
        .run(context -> assertThat(context).hasNotFailed().hasSingleBean(SqsWorkers.class));
  }

  @Test
  void theOnlyHandlerBean_needsNoName() {
    runner
        .withUserConfiguration(OneHandler.class)
        .withPropertyValues(
            "sqsworker.auto-startup=false",
            "sqsworker.workers.orders.queue-url=http://localhost:1/000000000000/orders")
        .run(context -> assertThat(context).hasNotFailed().hasSingleBean(SqsWorkers.class));
  }

  @Test
  void healthHasAnIndicatorPerWorker_downUntilItRuns() {
    withOrdersWorker()
        .run(
            context -> {
              var composite =
                  (CompositeHealthContributor)
                      context.getBean("sqsWorkersHealthContributor", HealthContributor.class);
              var orders = (HealthIndicator) composite.getContributor("orders");
              assertThat(orders.health().getStatus()).isEqualTo(Status.DOWN);
              assertThat(orders.health().getDetails()).containsEntry("state", "NOT_RUNNING");
              assertThat(context)
                  .getBean(HealthEndpointGroupsPostProcessor.class)
                  .isInstanceOf(ReadinessGroupPostProcessor.class);
            });
  }

  @Test
  void healthIsOffWhenDisabled() {
    withOrdersWorker()
        .withPropertyValues("management.health.sqsworkers.enabled=false")
        .run(
            context ->
                assertThat(context)
                    .hasSingleBean(SqsWorkers.class)
                    .doesNotHaveBean("sqsWorkersHealthContributor")
                    .doesNotHaveBean(HealthEndpointGroupsPostProcessor.class));
  }

  @Test
  void theApplicationsOwnWorkersHealth_replacesTheStarters() {
    withOrdersWorker()
        .withBean(
            "sqsWorkersHealthContributor",
            HealthContributor.class,
            () ->
                (HealthIndicator) () -> org.springframework.boot.actuate.health.Health.up().build())
        .run(
            context ->
                assertThat(context.getBean("sqsWorkersHealthContributor"))
                    .isInstanceOf(HealthIndicator.class)
                    .isNotInstanceOf(CompositeHealthContributor.class));
  }

  @Test
  void withoutActuator_hasNoHealth() {
    withOrdersWorker()
        .withClassLoader(new FilteredClassLoader(HealthContributor.class))
        .run(
            context ->
                assertThat(context)
                    .hasSingleBean(SqsWorkers.class)
                    .doesNotHaveBean("sqsWorkersHealthContributor"));
  }

  /** A payload. */
  record Order(String id) {}

  @Configuration(proxyBeanMethods = false)
  static class Handlers {
    @Bean
    MessageHandler<Order> orderHandler() {
      return (order, context) -> {};
    }

    @Bean
    MessageHandler<String> auditHandler() {
      return (line, context) -> {};
    }

    @Bean
    @SuppressWarnings("rawtypes")
    MessageHandler rawHandler() {
      return (payload, context) -> {};
    }
  }

  @Configuration(proxyBeanMethods = false)
  static class BadMethods {
    @SqsWorkerHandler("notes")
    public void tooMany(Order order, MessageContext context, String extra) {}

    @SqsWorkerHandler("notes")
    public void note(Order order) {}

    @SqsWorkerHandler("nowhere")
    public void lost(Order order) {}
  }

  @Configuration(proxyBeanMethods = false)
  static class GoodMethod {
    @SqsWorkerHandler("notes")
    public void note(Order order, MessageContext context) {}
  }

  @Configuration(proxyBeanMethods = false)
  static class OneHandler {
    @Bean
    MessageHandler<Order> orderHandler() {
      return (order, context) -> {};
    }
  }

  @Configuration(proxyBeanMethods = false)
  static class OwnClient {
    @Bean(destroyMethod = "close")
    SqsAsyncClient applicationSqsClient() {
      return SqsAsyncClient.builder().region(Region.US_EAST_1).build();
    }
  }

  @Configuration(proxyBeanMethods = false)
  static class OwnDownstreams {
    @Bean(destroyMethod = "close")
    Downstreams applicationDownstreams() {
      return Downstreams.builder().build();
    }
  }
}
