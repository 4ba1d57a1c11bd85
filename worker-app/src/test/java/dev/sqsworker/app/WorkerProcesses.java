package dev.sqsworker.app;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Worker processes for tests with several tasks on one queue: each a JVM of its own with the test's
 * classpath, a fixed HTTP port and only the given environment; all stopped with SIGTERM at {@link
 * #close()}.
 */
final class WorkerProcesses implements AutoCloseable {

  private final List<Process> processes = new ArrayList<>();
  private final List<Integer> ports = new ArrayList<>();

  /**
   * Starts {@code mainClass} with {@code env} plus {@code SQSWORKER_HTTP_PORT}; logs in {@code
   * dir}.
   */
  int start(Class<?> mainClass, Map<String, String> env, Path dir) throws IOException {
    Files.createDirectories(dir);
    int port = freePort();
    String classpath =
        System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    ProcessBuilder builder =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx192m",
                "-XX:TieredStopAtLevel=1",
                "-XX:+UseSerialGC",
                "-cp",
                classpath,
                mainClass.getName())
            .redirectOutput(dir.resolve("stdout").toFile())
            .redirectError(dir.resolve("stderr").toFile());
    builder.environment().keySet().removeIf(k -> !k.equals("PATH") && !k.equals("HOME"));
    builder.environment().putAll(env);
    builder.environment().put("SQSWORKER_HTTP_PORT", String.valueOf(port));
    processes.add(builder.start());
    ports.add(port);
    return port;
  }

  /** The HTTP ports of the processes, in the order they were started. */
  List<Integer> ports() {
    return List.copyOf(ports);
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  /** SIGTERM to every process, then waits for them (killing one that does not stop in 30 s). */
  @Override
  public void close() {
    for (Process process : processes) {
      process.destroy();
    }
    try {
      for (Process process : processes) {
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
          process.destroyForcibly();
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      processes.forEach(Process::destroyForcibly);
    }
  }
}
