package dev.sqsworker.spring.boot.actuate;

import dev.sqsworker.spring.boot.SqsWorkerAutoConfiguration;
import dev.sqsworker.spring.boot.SqsWorkers;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.actuate.autoconfigure.health.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.actuate.autoconfigure.health.HealthEndpointAutoConfiguration;
import org.springframework.boot.actuate.health.CompositeHealthContributor;
import org.springframework.boot.actuate.health.HealthContributor;
import org.springframework.boot.actuate.health.HealthEndpointGroupsPostProcessor;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Actuator health for the workers: a {@code sqsWorkers} contributor with one indicator per worker,
 * member of the readiness group. Off with {@code management.health.sqsworkers.enabled=false}.
 */
@AutoConfiguration(
    after = SqsWorkerAutoConfiguration.class,
    before = HealthEndpointAutoConfiguration.class)
@ConditionalOnClass({HealthContributor.class, ConditionalOnEnabledHealthIndicator.class})
@ConditionalOnBean(SqsWorkers.class)
@ConditionalOnEnabledHealthIndicator("sqsworkers")
public class SqsWorkerHealthAutoConfiguration {

  /** One indicator per worker, under the name {@code sqsWorkers}. */
  @Bean
  @ConditionalOnMissingBean(name = "sqsWorkersHealthContributor")
  public HealthContributor sqsWorkersHealthContributor(SqsWorkers workers) {
    Map<String, HealthContributor> indicators = new LinkedHashMap<>();
    for (String name : workers.names()) {
      indicators.put(name, new SqsWorkerHealthIndicator(workers, name));
    }
    return CompositeHealthContributor.fromMap(indicators);
  }

  /** Adds the workers to the readiness group. */
  @Bean
  public HealthEndpointGroupsPostProcessor sqsWorkersReadinessGroup() {
    return new ReadinessGroupPostProcessor();
  }
}
