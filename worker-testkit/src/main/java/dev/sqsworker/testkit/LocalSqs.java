package dev.sqsworker.testkit;

import dev.sqsworker.testkit.internal.ElasticMqServer;
import dev.sqsworker.testkit.internal.LocalStackServer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;
import software.amazon.awssdk.services.sqs.SqsAsyncClientBuilder;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.CreateQueueRequest;
import software.amazon.awssdk.services.sqs.model.GetQueueAttributesRequest;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * A real SQS-compatible server on a free local port: embedded ElasticMQ by default, LocalStack when
 * {@link Backend#LOCALSTACK} is chosen. Closing it stops the server and its client.
 */
public final class LocalSqs implements AutoCloseable {

  private final AwsEndpoint endpoint;
  private final AutoCloseable server;
  private final SqsClient client;

  private LocalSqs(AwsEndpoint endpoint, AutoCloseable server) {
    this.endpoint = endpoint;
    this.server = server;
    this.client =
        SqsClient.builder()
            .endpointOverride(endpoint.uri())
            .region(endpoint.sdkRegion())
            .credentialsProvider(endpoint.credentialsProvider())
            .build();
  }

  /** Starts the backend chosen by the {@value Backend#PROPERTY} system property. */
  public static LocalSqs start() {
    return start(Backend.fromSystemProperty());
  }

  /**
   * Starts the given backend.
   *
   * @throws ServiceUnavailableException if the backend cannot run here (LocalStack without Docker)
   */
  public static LocalSqs start(Backend backend) {
    return switch (backend) {
      case EMBEDDED -> {
        ElasticMqServer server = ElasticMqServer.start();
        yield new LocalSqs(server.endpoint(), server);
      }
      case LOCALSTACK -> {
        LocalStackServer server = LocalStackServer.start();
        yield new LocalSqs(server.endpoint(), server);
      }
    };
  }

  /**
   * An SQS server that runs elsewhere, e.g. in its own process so that its CPU time and garbage are
   * not its clients'. Closing the result closes its clients, not the server.
   */
  public static LocalSqs connect(AwsEndpoint endpoint) {
    return new LocalSqs(java.util.Objects.requireNonNull(endpoint, "endpoint"), () -> {});
  }

  /** Where the server listens, with the credentials it accepts. */
  public AwsEndpoint endpoint() {
    return endpoint;
  }

  /** A new asynchronous client for this server; the caller closes it. */
  public SqsAsyncClient newAsyncClient() {
    return newAsyncClient(builder -> {});
  }

  /**
   * A new asynchronous client for this server, with the caller's settings on top (interceptors,
   * HTTP client); the caller closes it.
   */
  public SqsAsyncClient newAsyncClient(Consumer<SqsAsyncClientBuilder> customizer) {
    SqsAsyncClientBuilder builder =
        SqsAsyncClient.builder()
            .endpointOverride(endpoint.uri())
            .region(endpoint.sdkRegion())
            .credentialsProvider(endpoint.credentialsProvider());
    customizer.accept(builder);
    return builder.build();
  }

  /** A client for this server, owned by this object: do not close it. */
  public SqsClient client() {
    return client;
  }

  /**
   * Creates a queue (FIFO when the name ends in {@code .fifo}) and returns its URL. Creating an
   * existing queue with the same attributes returns its URL.
   */
  public String createQueue(String name) {
    return createQueue(name, Map.of());
  }

  /** Creates a queue with extra attributes and returns its URL. */
  public String createQueue(String name, Map<QueueAttributeName, String> attributes) {
    Objects.requireNonNull(name, "name");
    Map<QueueAttributeName, String> all = new HashMap<>(attributes);
    if (name.endsWith(".fifo")) {
      all.put(QueueAttributeName.FIFO_QUEUE, "true");
    }
    return client
        .createQueue(CreateQueueRequest.builder().queueName(name).attributes(all).build())
        .queueUrl();
  }

  /**
   * Creates a dead-letter queue and a source queue whose redrive policy moves a message there after
   * {@code maxReceiveCount} receives. The DLQ is named after the source ({@code orders} → {@code
   * orders-dlq}, {@code orders.fifo} → {@code orders-dlq.fifo}).
   */
  public QueuePair createQueueWithDlq(String name, int maxReceiveCount) {
    return createQueueWithDlq(name, maxReceiveCount, Map.of());
  }

  /** Like {@link #createQueueWithDlq(String, int)}, with extra attributes for the source queue. */
  public QueuePair createQueueWithDlq(
      String name, int maxReceiveCount, Map<QueueAttributeName, String> attributes) {
    if (maxReceiveCount < 1) {
      throw new IllegalArgumentException(
          "maxReceiveCount must be at least 1, was " + maxReceiveCount);
    }
    boolean fifo = name.endsWith(".fifo");
    String dlqName = fifo ? name.substring(0, name.length() - 5) + "-dlq.fifo" : name + "-dlq";
    String dlqUrl = createQueue(dlqName);
    String dlqArn = queueArn(dlqUrl);
    Map<QueueAttributeName, String> all = new HashMap<>(attributes);
    all.put(
        QueueAttributeName.REDRIVE_POLICY,
        "{\"maxReceiveCount\":\""
            + maxReceiveCount
            + "\",\"deadLetterTargetArn\":\""
            + dlqArn
            + "\"}");
    String queueUrl = createQueue(name, all);
    return new QueuePair(queueUrl, queueArn(queueUrl), dlqUrl, dlqArn);
  }

  /**
   * Every message the queue holds, visible, in flight or delayed (SQS's approximate counts, exact
   * on the embedded server): zero means nothing is left, neither waiting nor being handled.
   */
  public int messageCount(String queueUrl) {
    return client
        .getQueueAttributes(
            b ->
                b.queueUrl(queueUrl)
                    .attributeNames(
                        QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
                        QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE,
                        QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_DELAYED))
        .attributes()
        .values()
        .stream()
        .mapToInt(Integer::parseInt)
        .sum();
  }

  /**
   * Receives every message the queue holds now, with all attributes, and keeps them hidden for a
   * minute (so a test reads each once): for checking what a queue, e.g. a DLQ, ended up with.
   */
  public List<Message> drain(String queueUrl) {
    List<Message> all = new ArrayList<>();
    List<Message> got;
    do {
      got =
          client
              .receiveMessage(
                  b ->
                      b.queueUrl(queueUrl)
                          .maxNumberOfMessages(10)
                          .visibilityTimeout(60)
                          .messageAttributeNames("All")
                          .messageSystemAttributeNames(MessageSystemAttributeName.ALL))
              .messages();
      all.addAll(got);
    } while (!got.isEmpty());
    return all;
  }

  /** The ARN of a queue, read from its attributes. */
  public String queueArn(String queueUrl) {
    return client
        .getQueueAttributes(
            GetQueueAttributesRequest.builder()
                .queueUrl(queueUrl)
                .attributeNames(QueueAttributeName.QUEUE_ARN)
                .build())
        .attributes()
        .get(QueueAttributeName.QUEUE_ARN);
  }

  /** Stops the client and the server. */
  @Override
  public void close() {
    client.close();
    try {
      server.close();
    } catch (Exception e) {
      throw new IllegalStateException("Could not stop the SQS server at " + endpoint.uri(), e);
    }
  }
}
