package dev.sqsworker.demo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sqsworker.testkit.BinScript;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs {@code bin/demo} as a user does: the script itself, its own runtime classpath, a separate
 * JVM, and a fresh {@code java.io.tmpdir}, so the embedded PostgreSQL unpacks its binaries again
 * (nothing cached by earlier tests helps it, and a library missing from the script's classpath
 * fails here).
 */
class LocalDemoIT {

  @Test
  void accountsForEveryMessageAndEndsWithTheSummaryLine(@TempDir Path work) throws Exception {
    Run run = demo(work, Duration.ofMinutes(4), null, "--messages", "60");

    assertThat(run.exitCode()).as(run.stderr()).isZero();
    // 60 messages: 48 good, 3 flaky, 3 duplicates, 3 rejected until the fix, 3 malformed.
    List<String> lines = run.stdout().strip().lines().toList();
    assertThat(lines.get(lines.size() - 1))
        .isEqualTo(
            "DEMO-SUMMARY {\"sent\":60,\"completed\":54,\"duplicatesSkipped\":3,"
                + "\"deadLettered\":3,\"replayed\":3,\"artifacts\":6,\"lost\":0}");
    assertThat(run.stdout())
        .contains("of which DECODE", "Replayed 3 rejected orders", "parked while the tax breaker");
    // The tax service's outage was real: it refused calls, and nothing was lost because of it.
    assertThat(run.stdout()).containsPattern("The tax service refused [1-9]\\d* calls");
    assertThat(Files.list(work.resolve("tmp")).map(p -> p.getFileName().toString()))
        .as("the demo's own temporary folder")
        .contains("embedded-pg");
  }

  @Test
  void failsFastWithOneLineWhenPostgresCannotStart(@TempDir Path work) throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      Run run =
          demo(
              work,
              Duration.ofSeconds(60),
              String.valueOf(taken.getLocalPort()),
              "--messages",
              "10",
              "--quiet");

      assertThat(run.exitCode()).as(run.stdout() + run.stderr()).isEqualTo(1);
      assertThat(run.stderr().lines().filter(l -> l.startsWith("demo: failed: ")))
          .singleElement()
          .asString()
          .contains("PostgreSQL")
          .contains(String.valueOf(taken.getLocalPort()));
      assertThat(run.stdout()).doesNotContain("DEMO-SUMMARY");
    }
  }

  @Test
  void rejectsABadPortNamingTheVariable(@TempDir Path work) throws Exception {
    Run run = demo(work, Duration.ofSeconds(30), "not-a-port", "--quiet");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.stderr())
        .contains("SQSWORKER_DEMO_POSTGRES_PORT must be a port between 1 and 65535");
  }

  @Test
  void noSecretGivenToTheDemoReachesItsOutput(@TempDir Path work) throws Exception {
    Map<String, String> secrets =
        Map.of(
            "SQSWORKER_JDBC_PASSWORD",
            "pw-9f3c1a7e-jdbc",
            DemoCredentials.URL_PASSWORD,
            "pw-5b2d8e04-in-url",
            "AWS_ACCESS_KEY_ID",
            "AKIADEMOSECRETTEST",
            "AWS_SECRET_ACCESS_KEY",
            "sk-7c41e9d2-aws-secret-key");
    // Start, handler failures, breaker, dead letters, replay and shutdown; then a failing start.
    Run run = demo(work.resolve("ok"), Duration.ofMinutes(4), null, secrets, "--messages", "30");
    try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      Run failed =
          demo(
              work.resolve("failing"),
              Duration.ofSeconds(60),
              String.valueOf(taken.getLocalPort()),
              secrets,
              "--messages",
              "10");
      assertThat(failed.exitCode()).isEqualTo(1);
      assertThat(run.exitCode()).as(run.stderr()).isZero();
      assertThat(run.stdout()).contains("DEMO-SUMMARY", "of which DECODE");
      for (String secret : secrets.values()) {
        assertThat(run.stdout() + run.stderr() + failed.stdout() + failed.stderr())
            .as("the demo's output")
            .doesNotContain(secret)
            .doesNotContain(java.net.URLEncoder.encode(secret, StandardCharsets.UTF_8));
      }
      // The key id is no secret; the secret key is, and so is its signing use.
      assertThat(run.stdout() + run.stderr()).doesNotContain("sk-7c41e9d2");
    }
  }

  private record Run(int exitCode, String stdout, String stderr) {}

  /** Runs the script and waits for it: a demo that does not end in {@code limit} fails the test. */
  private static Run demo(Path work, Duration limit, String postgresPort, String... args)
      throws IOException, InterruptedException {
    return demo(work, limit, postgresPort, Map.of(), args);
  }

  private static Run demo(
      Path work, Duration limit, String postgresPort, Map<String, String> env, String... args)
      throws IOException, InterruptedException {
    Files.createDirectories(work);
    Path tmp = Files.createDirectories(work.resolve("tmp"));
    ProcessBuilder builder =
        BinScript.command("demo", args)
            .redirectOutput(work.resolve("stdout").toFile())
            .redirectError(work.resolve("stderr").toFile());
    builder.environment().put("JAVA_OPTS", "-Djava.io.tmpdir=" + tmp);
    builder.environment().remove("JAVA_TOOL_OPTIONS");
    builder.environment().putAll(env);
    if (postgresPort != null) {
      builder.environment().put(DemoOptions.POSTGRES_PORT, postgresPort);
    }
    Process process = builder.start();
    boolean ended = process.waitFor(limit.toSeconds(), TimeUnit.SECONDS);
    if (!ended) {
      process.descendants().forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly();
    }
    String stdout = Files.readString(work.resolve("stdout"));
    String stderr = Files.readString(work.resolve("stderr"));
    assertThat(ended).as("the demo ended within " + limit + "; stderr: " + stderr).isTrue();
    return new Run(process.exitValue(), stdout, stderr);
  }
}
