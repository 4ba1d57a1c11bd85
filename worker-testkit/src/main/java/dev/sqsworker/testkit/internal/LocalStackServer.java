package dev.sqsworker.testkit.internal;

import dev.sqsworker.testkit.AwsEndpoint;
import dev.sqsworker.testkit.ServiceUnavailableException;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.localstack.LocalStackContainer;
import org.testcontainers.utility.DockerImageName;

/** LocalStack in a container through Testcontainers, serving SQS and S3. Needs a Docker engine. */
public final class LocalStackServer implements AutoCloseable {

  /** The LocalStack image; override with the system property {@code sqsworker.localstack.image}. */
  public static final String DEFAULT_IMAGE = "localstack/localstack:4.4";

  private final LocalStackContainer container;

  private LocalStackServer(LocalStackContainer container) {
    this.container = container;
  }

  /**
   * Starts a LocalStack container.
   *
   * @throws ServiceUnavailableException when no Docker engine is reachable
   */
  public static LocalStackServer start() {
    if (!dockerAvailable()) {
      throw new ServiceUnavailableException(
          "The localstack backend needs a Docker engine and none is reachable; "
              + "run without -Dsqsworker.backend=localstack to use the embedded services");
    }
    String image = System.getProperty("sqsworker.localstack.image", DEFAULT_IMAGE);
    LocalStackContainer container =
        new LocalStackContainer(DockerImageName.parse(image))
            .withServices(LocalStackContainer.Service.SQS, LocalStackContainer.Service.S3);
    container.start();
    return new LocalStackServer(container);
  }

  /** Whether Testcontainers can reach a Docker engine from here. */
  public static boolean dockerAvailable() {
    try {
      return DockerClientFactory.instance().isDockerAvailable();
    } catch (RuntimeException | LinkageError e) {
      return false;
    }
  }

  /** The endpoint for SQS and S3 alike. */
  public AwsEndpoint endpoint() {
    return new AwsEndpoint(
        container.getEndpoint(),
        container.getRegion(),
        container.getAccessKey(),
        container.getSecretKey());
  }

  @Override
  public void close() {
    container.stop();
  }
}
