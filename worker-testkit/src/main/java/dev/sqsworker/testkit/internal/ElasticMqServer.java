package dev.sqsworker.testkit.internal;

import dev.sqsworker.testkit.AwsEndpoint;
import java.net.URI;
import org.elasticmq.NodeAddress;
import org.elasticmq.rest.sqs.SQSRestServer;
import org.elasticmq.rest.sqs.SQSRestServerBuilder;

/** ElasticMQ's SQS REST server, embedded in this JVM on a free loopback port. */
public final class ElasticMqServer implements AutoCloseable {

  private final SQSRestServer server;
  private final AwsEndpoint endpoint;

  private ElasticMqServer(SQSRestServer server, int port) {
    this.server = server;
    this.endpoint =
        new AwsEndpoint(
            URI.create("http://localhost:" + port), AwsEndpoint.DEFAULT_REGION, "x", "x");
  }

  /** Starts a server, retrying on another port if the chosen one was taken meanwhile. */
  public static ElasticMqServer start() {
    return FreePort.startOnFreePort(
        "ElasticMQ",
        port -> {
          SQSRestServer server =
              SQSRestServerBuilder.withPort(port)
                  .withInterface("127.0.0.1")
                  .withServerAddress(new NodeAddress("http", "localhost", port, ""))
                  .withAWSRegion(AwsEndpoint.DEFAULT_REGION)
                  .start();
          server.waitUntilStarted();
          return new ElasticMqServer(server, port);
        });
  }

  /** Where it listens. */
  public AwsEndpoint endpoint() {
    return endpoint;
  }

  @Override
  public void close() {
    server.stopAndWait();
  }
}
