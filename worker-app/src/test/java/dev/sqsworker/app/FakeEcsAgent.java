package dev.sqsworker.app;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A local stand-in for the ECS agent's task-protection endpoint: records every request and answers
 * like the agent, or with an error while {@link #failWith} is set.
 */
public final class FakeEcsAgent implements AutoCloseable {

  /** What the fake received. */
  public record Request(String method, String path, String contentType, String body, Instant at) {}

  private static final String TASK_PATH = "/api/task-1234";

  private final HttpServer server;
  private final List<Request> requests = new CopyOnWriteArrayList<>();
  private volatile int failStatus;

  private FakeEcsAgent(HttpServer server) {
    this.server = server;
  }

  /** Starts on a free loopback port. */
  public static FakeEcsAgent start() {
    try {
      HttpServer server =
          HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 8);
      FakeEcsAgent agent = new FakeEcsAgent(server);
      server.createContext(
          TASK_PATH + "/task-protection/v1/state",
          exchange -> {
            try (exchange) {
              String body =
                  new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
              agent.requests.add(
                  new Request(
                      exchange.getRequestMethod(),
                      exchange.getRequestURI().getPath(),
                      exchange.getRequestHeaders().getFirst("Content-Type"),
                      body,
                      Instant.now()));
              int status = agent.failStatus;
              String answer =
                  status != 0
                      ? "{\"error\":{\"Arn\":\"task\",\"Code\":\"AccessDeniedException\"}}"
                      : "{\"protection\":{\"ProtectionEnabled\":"
                          + body.contains("true")
                          + ",\"TaskArn\":\"arn:aws:ecs:eu-west-1:1:task/c/1234\"}}";
              byte[] bytes = answer.getBytes(StandardCharsets.UTF_8);
              exchange.getResponseHeaders().set("Content-Type", "application/json");
              exchange.sendResponseHeaders(status != 0 ? status : 200, bytes.length);
              try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
              }
            }
          });
      server.start();
      return agent;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The value of {@code ECS_AGENT_URI} for this fake. */
  public URI agentUri() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + TASK_PATH);
  }

  /** Answers every request with this status and an error body; 0 to answer normally again. */
  public void failWith(int status) {
    this.failStatus = status;
  }

  /** Every request so far, in order. */
  public List<Request> requests() {
    return List.copyOf(requests);
  }

  /** The bodies of every request so far, in order. */
  public List<String> bodies() {
    return requests.stream().map(Request::body).toList();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
