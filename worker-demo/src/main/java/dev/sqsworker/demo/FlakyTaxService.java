package dev.sqsworker.demo;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The demo's tax service: a real HTTP server on a free local port that answers 503 for a while from
 * its first request on (an outage), then 20 cents of tax per item.
 */
final class FlakyTaxService implements AutoCloseable {

  private final HttpServer server;
  private final Duration outage;
  private final AtomicLong outageStart = new AtomicLong();
  private final AtomicInteger refused = new AtomicInteger();
  private final AtomicInteger answered = new AtomicInteger();

  FlakyTaxService(Duration outage) {
    this.outage = outage;
    try {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
    } catch (IOException e) {
      throw new UncheckedIOException("Could not start the demo tax service", e);
    }
    server.setExecutor(Executors.newFixedThreadPool(4));
    server.createContext(
        "/tax",
        exchange -> {
          long now = System.nanoTime();
          outageStart.compareAndSet(0, now);
          boolean down = now - outageStart.get() < outage.toNanos();
          String query = exchange.getRequestURI().getQuery();
          int quantity = query == null ? 1 : Integer.parseInt(query.replace("quantity=", ""));
          byte[] body =
              (down ? "tax service unavailable" : Long.toString(20L * quantity))
                  .getBytes(StandardCharsets.UTF_8);
          (down ? refused : answered).incrementAndGet();
          exchange.sendResponseHeaders(down ? 503 : 200, body.length);
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
          }
        });
    server.start();
  }

  URI uri() {
    return URI.create("http://localhost:" + server.getAddress().getPort());
  }

  int refused() {
    return refused.get();
  }

  int answered() {
    return answered.get();
  }

  @Override
  public void close() {
    server.stop(0);
    ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
  }
}
