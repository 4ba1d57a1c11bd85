package dev.sqsworker.core;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * A real HTTP downstream on a free loopback port (the JDK's server) whose answers a test switches:
 * OK, failing with 500, slow, or 429 with a {@code Retry-After}. It records every call.
 */
final class TestDownstream implements AutoCloseable {

  /** What the server answers to one path. */
  record Answer(int status, String retryAfter, Duration delay) {
    static Answer ok() {
      return new Answer(200, null, Duration.ZERO);
    }

    static Answer status(int status) {
      return new Answer(status, null, Duration.ZERO);
    }

    static Answer throttled(int status, String retryAfter) {
      return new Answer(status, retryAfter, Duration.ZERO);
    }
  }

  /** One call as the server saw it. */
  record Call(String path, long atNanos, int status) {}

  private final HttpServer server;
  private final ExecutorService threads;
  private final CountDownLatch closing = new CountDownLatch(1);
  private volatile Function<String, Answer> answers = path -> Answer.ok();
  final List<Call> calls = new CopyOnWriteArrayList<>();
  final Map<String, AtomicInteger> succeeded = new ConcurrentHashMap<>();

  TestDownstream() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
    AtomicInteger n = new AtomicInteger();
    threads =
        Executors.newFixedThreadPool(
            32,
            r -> {
              Thread t = new Thread(r, "test-downstream-" + n.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    server.setExecutor(threads);
    server.createContext("/", this::handle);
    server.start();
  }

  /** The URI of a path on this server. */
  URI uri(String path) {
    return URI.create(
        "http://"
            + server.getAddress().getHostString()
            + ":"
            + server.getAddress().getPort()
            + path);
  }

  /** From now on answers every path with {@code answer}. */
  void answer(Answer answer) {
    answers = path -> answer;
  }

  /** From now on answers each path as {@code answers} says. */
  void answer(Function<String, Answer> answers) {
    this.answers = answers;
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String path = exchange.getRequestURI().getPath();
      exchange.getRequestBody().readAllBytes();
      Answer answer = answers.apply(path);
      if (!answer.delay().isZero()) {
        try {
          closing.await(answer.delay().toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      calls.add(new Call(path, System.nanoTime(), answer.status()));
      if (answer.status() == 200) {
        succeeded.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
      }
      if (answer.retryAfter() != null) {
        exchange.getResponseHeaders().add("Retry-After", answer.retryAfter());
      }
      exchange.sendResponseHeaders(answer.status(), -1);
    }
  }

  /** The calls to one path. */
  List<Call> callsTo(String path) {
    return calls.stream().filter(c -> c.path().equals(path)).toList();
  }

  @Override
  public void close() {
    closing.countDown();
    server.stop(0);
    threads.shutdownNow();
  }
}
