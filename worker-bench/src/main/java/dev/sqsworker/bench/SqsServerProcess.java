package dev.sqsworker.bench;

import dev.sqsworker.testkit.AwsEndpoint;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** {@link SqsServerMain} started as a child JVM, with its CPU time readable from outside. */
final class SqsServerProcess implements AutoCloseable {

  private final Process process;
  private final AwsEndpoint endpoint;

  private SqsServerProcess(Process process, AwsEndpoint endpoint) {
    this.process = process;
    this.endpoint = endpoint;
  }

  /** Starts the server on this JVM's classpath and waits until it listens. */
  static SqsServerProcess start() throws IOException {
    Process process =
        new ProcessBuilder(
                List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx1g",
                    "-XX:+UseParallelGC",
                    "-cp",
                    System.getProperty("java.class.path"),
                    SqsServerMain.class.getName()))
            .redirectError(ProcessBuilder.Redirect.DISCARD)
            .start();
    BufferedReader out =
        new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    String line;
    while ((line = out.readLine()) != null) {
      if (line.startsWith(SqsServerMain.READY)) {
        String[] parts = line.substring(SqsServerMain.READY.length()).split(" ");
        return new SqsServerProcess(
            process, new AwsEndpoint(URI.create(parts[0]), parts[1], parts[2], parts[3]));
      }
    }
    process.destroyForcibly();
    throw new IOException("the SQS server process ended before it listened");
  }

  AwsEndpoint endpoint() {
    return endpoint;
  }

  /** The server process's CPU time so far, in nanoseconds. */
  long cpuNanos() {
    return process
        .toHandle()
        .info()
        .totalCpuDuration()
        .map(Duration::toNanos)
        .orElseThrow(() -> new IllegalStateException("no CPU time for the SQS server process"));
  }

  @Override
  public void close() throws IOException {
    process.getOutputStream().close();
    try {
      if (!process.waitFor(15, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }
}
