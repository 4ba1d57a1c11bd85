package dev.sqsworker.spring.boot;

import dev.sqsworker.core.ConfigurationException;
import dev.sqsworker.core.Worker;
import dev.sqsworker.core.resilience.DownstreamConfig;
import dev.sqsworker.core.resilience.Downstreams;
import dev.sqsworker.core.resilience.RateLimitSchema;
import dev.sqsworker.spring.boot.SqsWorkerProperties.DownstreamProperties;
import dev.sqsworker.spring.boot.internal.HandlerMethods;
import dev.sqsworker.spring.boot.internal.WorkerAssembler;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import javax.sql.DataSource;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration;
import org.springframework.boot.autoconfigure.jdbc.DataSourceTransactionManagerAutoConfiguration;
import org.springframework.boot.autoconfigure.transaction.TransactionAutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.transaction.PlatformTransactionManager;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;
import software.amazon.awssdk.services.sqs.SqsAsyncClientBuilder;

/**
 * Auto-configuration of sqs-worker: one {@link Worker} per {@code sqsworker.workers.<name>} entry,
 * bound to a {@code MessageHandler} bean, all run by the {@link SqsWorkers} lifecycle.
 *
 * <ul>
 *   <li>The application's {@link SqsAsyncClient} is used (Spring Cloud AWS defines one); without
 *       one, a client is built from {@code sqsworker.sqs.*} and the SDK's usual region and
 *       credentials chains.
 *   <li>Idempotency keys live in the application's {@link DataSource}; in transactional mode the
 *       handler's writes and the key's completion commit in one transaction of the application's
 *       {@link PlatformTransactionManager}.
 *   <li>Metrics go to the application's {@link MeterRegistry}, when there is one.
 *   <li>{@link Downstreams} come from {@code sqsworker.downstreams.<name>.*}.
 * </ul>
 *
 * <p>Off with {@code sqsworker.enabled=false}.
 */
@AutoConfiguration(
    after = {
      DataSourceAutoConfiguration.class,
      DataSourceTransactionManagerAutoConfiguration.class,
      TransactionAutoConfiguration.class
    },
    afterName = {
      "io.awspring.cloud.autoconfigure.sqs.SqsAutoConfiguration",
      "org.springframework.boot.actuate.autoconfigure.metrics.CompositeMeterRegistryAutoConfiguration"
    })
@ConditionalOnClass({Worker.class, SqsAsyncClient.class})
@ConditionalOnProperty(prefix = "sqsworker", name = "enabled", matchIfMissing = true)
@EnableConfigurationProperties(SqsWorkerProperties.class)
public class SqsWorkerAutoConfiguration {

  /**
   * The SQS client, when the application has none; closed with the context. Its credentials are the
   * application's {@link AwsCredentialsProvider} bean if there is one, else the SDK's default
   * chain.
   */
  @Bean(destroyMethod = "close")
  @ConditionalOnMissingBean
  public SqsAsyncClient sqsWorkerSqsAsyncClient(
      SqsWorkerProperties properties, ObjectProvider<AwsCredentialsProvider> credentials) {
    SqsAsyncClientBuilder builder = SqsAsyncClient.builder();
    AwsCredentialsProvider provider = credentials.getIfUnique();
    if (provider != null) {
      builder.credentialsProvider(provider);
    }
    if (properties.getSqs().getRegion() != null) {
      builder.region(Region.of(properties.getSqs().getRegion()));
    }
    if (properties.getSqs().getEndpoint() != null) {
      builder.endpointOverride(properties.getSqs().getEndpoint());
    }
    return builder.build();
  }

  /**
   * The downstreams of {@code sqsworker.downstreams.*}, with their metrics; closed last. When one
   * has a {@code global-rate-limit}, its bucket lives in the application's {@link DataSource},
   * whose table is created or upgraded here unless {@code
   * sqsworker.global-rate-store.migrate-on-start=false}.
   */
  @Bean(destroyMethod = "close")
  @ConditionalOnMissingBean
  public Downstreams sqsWorkerDownstreams(
      SqsWorkerProperties properties,
      ObjectProvider<MeterRegistry> meterRegistry,
      ObjectProvider<ObservationRegistry> observationRegistry,
      ObjectProvider<DataSource> dataSource) {
    Downstreams.Builder builder = Downstreams.builder();
    observationRegistry.ifUnique(builder::observationRegistry);
    List<String> problems = new ArrayList<>();
    List<String> globallyLimited = new ArrayList<>();
    properties
        .getDownstreams()
        .forEach(
            (name, p) -> {
              try {
                DownstreamConfig config = downstream(p);
                builder.downstream(name, config);
                if (config.globalRateLimit() > 0) {
                  globallyLimited.add(name);
                }
              } catch (IllegalArgumentException e) {
                problems.add("sqsworker.downstreams." + name + ": " + e.getMessage());
              }
            });
    DataSource store = null;
    if (!globallyLimited.isEmpty()) {
      store = dataSource.getIfUnique();
      if (store == null) {
        globallyLimited.forEach(
            name ->
                problems.add(
                    "sqsworker.downstreams."
                        + name
                        + ".global-rate-limit needs one DataSource bean (its bucket is kept there)"));
      } else {
        builder.globalRateStore(store);
      }
    }
    if (!problems.isEmpty()) {
      throw new ConfigurationException(problems);
    }
    MeterRegistry registry = meterRegistry.getIfUnique();
    if (registry != null) {
      builder.meterRegistry(registry);
    }
    Downstreams downstreams = builder.build();
    if (store != null && properties.getGlobalRateStore().isMigrateOnStart()) {
      RateLimitSchema.migrate(store);
    }
    return downstreams;
  }

  /** Finds the {@link SqsWorkerHandler} methods of the application's beans. */
  @Bean
  public static HandlerMethods sqsWorkerHandlerMethods() {
    return new HandlerMethods();
  }

  /** The workers. */
  @Bean
  public SqsWorkers sqsWorkers(
      SqsWorkerProperties properties,
      ConfigurableListableBeanFactory beanFactory,
      ObjectProvider<SqsAsyncClient> client,
      ObjectProvider<DataSource> dataSource,
      ObjectProvider<PlatformTransactionManager> transactionManager,
      ObjectProvider<MeterRegistry> meterRegistry,
      ObjectProvider<ObservationRegistry> observationRegistry,
      ObjectProvider<Downstreams> downstreams,
      ObjectProvider<SqsWorkerCustomizer> customizers,
      HandlerMethods handlerMethods) {
    return new SqsWorkers(
        new WorkerAssembler(
            properties,
            new WorkerAssembler.Beans(
                beanFactory,
                client,
                dataSource,
                transactionManager,
                meterRegistry,
                observationRegistry,
                downstreams,
                customizers),
            handlerMethods),
        properties.isAutoStartup());
  }

  private static DownstreamConfig downstream(DownstreamProperties p) {
    DownstreamConfig.Builder b = DownstreamConfig.builder();
    set(p.getTimeout(), b::timeout);
    set(p.getMaxConcurrent(), b::maxConcurrent);
    set(p.getMaxWait(), b::maxWait);
    set(p.getRateLimit(), b::rateLimit);
    set(p.getRatePeriod(), b::ratePeriod);
    set(p.getGlobalRateLimit(), b::globalRateLimit);
    set(p.getGlobalRatePeriod(), b::globalRatePeriod);
    set(p.getGlobalRateFallback(), b::globalRateFallback);
    set(p.getBreakerFailureRate(), b::breakerFailureRate);
    set(p.getBreakerWindow(), b::breakerWindow);
    set(p.getBreakerMinCalls(), b::breakerMinCalls);
    set(p.getBreakerOpenFor(), b::breakerOpenFor);
    set(p.getBreakerHalfOpenCalls(), b::breakerHalfOpenCalls);
    set(p.getRetryAttempts(), b::retryAttempts);
    set(p.getRetryBase(), b::retryBase);
    set(p.getRetryCap(), b::retryCap);
    return b.build();
  }

  private static <V> void set(V value, Consumer<V> setter) {
    if (value != null) {
      setter.accept(value);
    }
  }
}
