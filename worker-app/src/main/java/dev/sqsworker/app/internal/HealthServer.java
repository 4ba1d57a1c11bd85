package dev.sqsworker.app.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The JDK HTTP server with {@code /health/live}, {@code /health/ready} and {@code /metrics}, on a
 * small bounded pool of named threads: requests beyond its queue are dropped (the caller times out)
 * rather than queued without end.
 */
public final class HealthServer implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(HealthServer.class);
  private static final String JSON = "application/json";
  private static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final HttpServer server;
  private final ThreadPoolExecutor executor;
  private volatile boolean started;

  /**
   * Binds the server (not started).
   *
   * @param port the port, 0 for any free one
   * @param alive whether {@code /health/live} answers 200
   * @param readiness the checks of {@code /health/ready}
   * @param registry what {@code /metrics} serves
   */
  public HealthServer(
      int port, BooleanSupplier alive, Readiness readiness, PrometheusMeterRegistry registry) {
    try {
      server = HttpServer.create(new InetSocketAddress(port), 16);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot listen on HTTP port " + port, e);
    }
    executor =
        new ThreadPoolExecutor(
            2,
            2,
            0,
            TimeUnit.SECONDS,
            new ArrayBlockingQueue<>(32),
            NamedThreads.daemon("sqsworker-http"),
            new ThreadPoolExecutor.DiscardPolicy());
    server.setExecutor(executor);
    route(
        "/health/live",
        exchange ->
            respond(
                exchange,
                alive.getAsBoolean() ? 200 : 503,
                JSON,
                alive.getAsBoolean() ? "{\"status\":\"UP\"}" : "{\"status\":\"DOWN\"}"));
    route("/health/ready", exchange -> ready(exchange, readiness));
    route("/metrics", exchange -> respond(exchange, 200, PROMETHEUS_TEXT, registry.scrape()));
    // Everything else, e.g. /metrics/x or /: a JSON 404 (the JDK server's own is HTML).
    server.createContext("/", HealthServer::notFound);
  }

  /**
   * Serves {@code path} exactly: the JDK server matches contexts by prefix, so {@code /metrics/x}
   * would otherwise be answered as {@code /metrics}.
   */
  private void route(String path, com.sun.net.httpserver.HttpHandler handler) {
    server.createContext(
        path,
        exchange -> {
          if (exchange.getRequestURI().getPath().equals(path)) {
            handler.handle(exchange);
          } else {
            notFound(exchange);
          }
        });
  }

  private static void notFound(HttpExchange exchange) throws IOException {
    ObjectNode body = MAPPER.createObjectNode();
    body.put("status", 404);
    body.put("error", "Not Found");
    body.put("path", exchange.getRequestURI().getPath());
    body.putArray("paths").add("/health/live").add("/health/ready").add("/metrics");
    respond(exchange, 404, JSON, MAPPER.writeValueAsString(body));
  }

  /** Starts serving. */
  public void start() {
    server.start();
    started = true;
    LOG.info("Health and metrics on port {}", port());
  }

  /** The port the server listens on. */
  public int port() {
    return server.getAddress().getPort();
  }

  private static void ready(HttpExchange exchange, Readiness readiness) throws IOException {
    List<Readiness.Result> results = readiness.check();
    boolean up = !results.isEmpty() && results.stream().allMatch(Readiness.Result::healthy);
    ObjectNode body = MAPPER.createObjectNode();
    body.put("status", up ? "UP" : "DOWN");
    ArrayNode checks = body.putArray("checks");
    for (Readiness.Result result : results) {
      checks
          .addObject()
          .put("name", result.name())
          .put("status", result.healthy() ? "UP" : "DOWN")
          .put("detail", result.detail());
    }
    respond(exchange, up ? 200 : 503, JSON, MAPPER.writeValueAsString(body));
  }

  private static void respond(HttpExchange exchange, int status, String contentType, String body)
      throws IOException {
    try (exchange) {
      if (!"GET".equals(exchange.getRequestMethod())
          && !"HEAD".equals(exchange.getRequestMethod())) {
        exchange.sendResponseHeaders(405, -1);
        return;
      }
      byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", contentType);
      exchange.getResponseHeaders().set("Cache-Control", "no-store");
      if ("HEAD".equals(exchange.getRequestMethod())) {
        exchange.sendResponseHeaders(status, -1);
        return;
      }
      exchange.sendResponseHeaders(status, bytes.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(bytes);
      }
    }
  }

  /** Stops serving, letting an answer in progress finish for up to a second. */
  @Override
  public void close() {
    // A server that never started has no exchange to wait for.
    server.stop(started ? 1 : 0);
    executor.shutdownNow();
  }
}
