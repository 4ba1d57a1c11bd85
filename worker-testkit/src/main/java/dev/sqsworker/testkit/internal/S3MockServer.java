package dev.sqsworker.testkit.internal;

import com.adobe.testing.s3mock.S3MockApplication;
import dev.sqsworker.testkit.AwsEndpoint;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Adobe's S3Mock (a Spring Boot application on Tomcat) started in this JVM on a free loopback port,
 * storing objects in a throwaway directory. It implements versioning, lifecycle configuration,
 * default encryption and the public access block, but accepts any signature.
 */
public final class S3MockServer implements AutoCloseable {

  /** The access key id given to clients; S3Mock does not check it. */
  public static final String ACCESS_KEY_ID = "local-access-key";

  /** The secret access key given to clients; S3Mock does not check signatures. */
  public static final String SECRET_ACCESS_KEY = "local-secret-key";

  private static final Logger LOG = LoggerFactory.getLogger(S3MockServer.class);

  /**
   * Spring Boot would otherwise reconfigure the host's logging backend (resetting, say, a test's
   * logback configuration) when S3Mock starts.
   */
  private static final String SPRING_LOGGING_SYSTEM =
      "org.springframework.boot.logging.LoggingSystem";

  /**
   * Tomcat logs through java.util.logging, which nothing routes here; these loggers are held so
   * that their lowered verbosity is not garbage collected away.
   */
  private static final List<java.util.logging.Logger> TOMCAT_LOGGERS =
      Stream.of("org.apache.catalina", "org.apache.coyote", "org.apache.tomcat")
          .map(java.util.logging.Logger::getLogger)
          .toList();

  private final S3MockApplication application;
  private final Path root;
  private final AwsEndpoint endpoint;

  private S3MockServer(S3MockApplication application, Path root, int port) {
    this.application = application;
    this.root = root;
    this.endpoint =
        new AwsEndpoint(
            URI.create("http://localhost:" + port),
            AwsEndpoint.DEFAULT_REGION,
            ACCESS_KEY_ID,
            SECRET_ACCESS_KEY);
  }

  /** Starts a server, retrying on another port if the chosen one was taken meanwhile. */
  public static S3MockServer start() {
    if (System.getProperty(SPRING_LOGGING_SYSTEM) == null) {
      System.setProperty(SPRING_LOGGING_SYSTEM, "none");
    }
    TOMCAT_LOGGERS.forEach(logger -> logger.setLevel(Level.WARNING));
    Path root = createRoot();
    try {
      return FreePort.startOnFreePort(
          "S3Mock",
          port -> {
            Map<String, Object> properties = new HashMap<>();
            properties.put(S3MockApplication.PROP_HTTP_PORT, port);
            properties.put(S3MockApplication.PROP_HTTPS_PORT, S3MockApplication.RANDOM_PORT);
            properties.put(S3MockApplication.PROP_ROOT_DIRECTORY, root.toString());
            properties.put(S3MockApplication.PROP_SILENT, true);
            properties.put("server.address", "127.0.0.1");
            properties.put("spring.main.banner-mode", "off");
            properties.put("spring.main.log-startup-info", false);
            return new S3MockServer(S3MockApplication.start(properties), root, port);
          });
    } catch (IllegalStateException e) {
      deleteQuietly(root);
      throw e;
    }
  }

  /** Where it listens, with credentials that any client may use. */
  public AwsEndpoint endpoint() {
    return endpoint;
  }

  @Override
  public void close() {
    try {
      application.stop();
    } finally {
      deleteQuietly(root);
    }
  }

  private static Path createRoot() {
    try {
      return Files.createTempDirectory("sqsworker-s3mock");
    } catch (IOException e) {
      throw new UncheckedIOException("Could not create S3Mock's storage directory", e);
    }
  }

  private static void deleteQuietly(Path root) {
    try (var paths = Files.walk(root)) {
      paths
          .sorted(Comparator.reverseOrder())
          .forEach(
              path -> {
                try {
                  Files.deleteIfExists(path);
                } catch (IOException e) {
                  LOG.debug("Could not delete {}", path, e);
                }
              });
    } catch (IOException e) {
      LOG.debug("Could not delete S3Mock's storage directory {}", root, e);
    }
  }
}
