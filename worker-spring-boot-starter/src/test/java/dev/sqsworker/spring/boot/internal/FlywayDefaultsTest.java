package dev.sqsworker.spring.boot.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;

class FlywayDefaultsTest {

  @Test
  void withoutMigrations_bootsFlywayIsOffByDefault() {
    StandardEnvironment env = new StandardEnvironment();
    new FlywayDefaults().postProcessEnvironment(env, new SpringApplication());
    assertThat(env.getProperty("spring.flyway.enabled")).isEqualTo("false");
  }

  @Test
  void whatTheApplicationSaysWins() {
    StandardEnvironment env = new StandardEnvironment();
    env.getPropertySources()
        .addFirst(new MapPropertySource("app", Map.of("spring.flyway.locations", "classpath:x")));
    new FlywayDefaults().postProcessEnvironment(env, new SpringApplication());
    assertThat(env.getProperty("spring.flyway.enabled")).isNull();
  }

  @Test
  void withMigrationsAtTheDefaultLocation_bootsFlywayStaysOn(@TempDir Path classes)
      throws Exception {
    Files.createDirectories(classes.resolve("db/migration"));
    try (URLClassLoader loader =
        new URLClassLoader(new URL[] {classes.toUri().toURL()}, getClass().getClassLoader())) {
      SpringApplication application = new SpringApplication();
      application.setResourceLoader(new org.springframework.core.io.DefaultResourceLoader(loader));
      StandardEnvironment env = new StandardEnvironment();
      new FlywayDefaults().postProcessEnvironment(env, application);
      assertThat(env.getProperty("spring.flyway.enabled")).isNull();
    }
  }
}
