package dev.sqsworker.spring.boot.internal;

import java.util.Map;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.io.DefaultResourceLoader;

/**
 * Keeps Spring Boot's own Flyway migration off in applications that have no Flyway migrations.
 *
 * <p>sqs-worker brings Flyway for its idempotency table (migrated into its own history table, apart
 * from the application's). Flyway on the classpath switches on Spring Boot's {@code
 * FlywayAutoConfiguration}, which would migrate the application's database from {@code
 * db/migration} and refuse to start on a non-empty schema without a Flyway history. So unless the
 * application says otherwise ({@code spring.flyway.enabled}, {@code spring.flyway.locations} or
 * {@code spring.flyway.url} set) or has migrations at the default location, {@code
 * spring.flyway.enabled} defaults to false, at the lowest precedence.
 */
public final class FlywayDefaults implements EnvironmentPostProcessor, Ordered {

  static final String SOURCE = "sqsworkerFlywayDefaults";

  @Override
  public void postProcessEnvironment(ConfigurableEnvironment env, SpringApplication application) {
    if (env.containsProperty("spring.flyway.enabled")
        || env.containsProperty("spring.flyway.locations")
        || env.containsProperty("spring.flyway.url")) {
      return;
    }
    ClassLoader loader =
        application.getClassLoader() != null
            ? application.getClassLoader()
            : FlywayDefaults.class.getClassLoader();
    if (new DefaultResourceLoader(loader).getResource("classpath:db/migration").exists()) {
      return;
    }
    env.getPropertySources()
        .addLast(new MapPropertySource(SOURCE, Map.of("spring.flyway.enabled", "false")));
  }

  @Override
  public int getOrder() {
    return Ordered.LOWEST_PRECEDENCE;
  }
}
