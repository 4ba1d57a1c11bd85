package dev.sqsworker.spring.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sqsworker.testkit.LocalPostgres;
import dev.sqsworker.testkit.LocalSqs;
import dev.sqsworker.testkit.QueuePair;
import dev.sqsworker.testkit.WithLocalServices;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The sample run as a user runs it: its main in its own JVM, on target/classes plus the runtime
 * classpath Maven wrote at package (not the test classpath). SIGTERM in the middle of an order lets
 * the order finish and commit, then the JVM exits.
 */
@WithLocalServices
class SigtermShutdownIT {

  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @Test
  void sigtermDrainsTheInFlightOrderAndExits(LocalSqs sqs, LocalPostgres postgres)
      throws Exception {
    String database = postgres.createDatabase("spring_sigterm");
    QueuePair queue = sqs.createQueueWithDlq("spring-sigterm-orders", 5);
    int port = freePort();
    Path target = Path.of("target");
    Path log = target.resolve("sigterm-app.log");
    String classpath =
        target.resolve("classes").toAbsolutePath()
            + java.io.File.pathSeparator
            + Files.readString(target.resolve("runtime.classpath")).trim();

    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-cp");
    command.add(classpath);
    command.add(OrdersApplication.class.getName());
    command.add("--server.port=" + port);
    command.add("--sample.packing-time=3s");
    LocalAws.properties(sqs, postgres, database, "spring-sigterm-orders")
        .forEach((k, v) -> command.add("--" + k + "=" + v));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.redirectOutput(log.toFile());
    builder.environment().putAll(LocalAws.credentials(sqs.endpoint()));
    Process app = builder.start();
    try {
      await()
          .atMost(Duration.ofSeconds(90))
          .until(() -> status(port, "/actuator/health/readiness") == 200);

      LocalAws.sendOrder(sqs, queue.queueUrl(), "sig-1");
      await().atMost(Duration.ofSeconds(30)).until(() -> logged(log, "Packing order sig-1"));
      app.destroy(); // SIGTERM

      assertThat(app.waitFor(60, TimeUnit.SECONDS)).as("exited").isTrue();
      String output = Files.readString(log);
      assertThat(app.exitValue()).as(output).isEqualTo(143);
      assertThat(output)
          .contains("Shipped order sig-1")
          .contains("sqs-worker 'orders' stopped")
          .doesNotContain("Could not commit")
          .doesNotContain("ERROR");
      assertThat(output.indexOf("Shipped order sig-1"))
          .isLessThan(output.indexOf("sqs-worker 'orders' stopped"));
      assertThat(LocalAws.shipments(postgres, database, "sig-1")).isEqualTo(1);
      LocalAws.awaitEmpty(sqs, queue.queueUrl());
    } finally {
      if (app.isAlive()) {
        app.destroyForcibly();
      }
    }
  }

  private static boolean logged(Path log, String line) throws IOException {
    return Files.exists(log) && Files.readString(log).contains(line);
  }

  private static int status(int port, String path) {
    try {
      return HTTP.send(
              HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).build(),
              HttpResponse.BodyHandlers.discarding())
          .statusCode();
    } catch (IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
