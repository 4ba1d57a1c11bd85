package dev.sqsworker.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LocalServicesLauncherTest {

  @Test
  void printsAlignedEndpointsThenOneExportPerVariable() {
    Map<String, String> endpoints = new LinkedHashMap<>();
    endpoints.put("SQS", "http://localhost:1111");
    endpoints.put("PostgreSQL", "jdbc:postgresql://localhost:2222/postgres");
    Map<String, String> env = new LinkedHashMap<>();
    env.put("AWS_REGION", "us-east-1");
    env.put("AWS_ENDPOINT_URL_SQS", "http://localhost:1111");

    String printed = print(endpoints, env);

    assertThat(printed.lines())
        .containsSubsequence(
            "  SQS         http://localhost:1111",
            "  PostgreSQL  jdbc:postgresql://localhost:2222/postgres",
            "export AWS_REGION=us-east-1",
            "export AWS_ENDPOINT_URL_SQS=http://localhost:1111");
  }

  @Test
  void quotesValuesAShellWouldSplit() {
    assertThat(LocalServicesLauncher.shellQuote("plain-value_1")).isEqualTo("plain-value_1");
    assertThat(LocalServicesLauncher.shellQuote("two words")).isEqualTo("'two words'");
    assertThat(LocalServicesLauncher.shellQuote("it's")).isEqualTo("'it'\\''s'");
    assertThat(LocalServicesLauncher.shellQuote("")).isEqualTo("''");
  }

  @Test
  void parsesQueuesWithTheirDeadLetterQueues() {
    assertThat(LocalServicesLauncher.Options.parse())
        .isEqualTo(new LocalServicesLauncher.Options(List.of(), false, 10));
    assertThat(
            LocalServicesLauncher.Options.parse(
                "--queue", "orders", "--queue", "ledger.fifo", "--dlq", "--max-receive-count", "7"))
        .isEqualTo(new LocalServicesLauncher.Options(List.of("orders", "ledger.fifo"), true, 7));
  }

  @Test
  void rejectsBadOptionsNamingThem() {
    assertThatThrownBy(() -> LocalServicesLauncher.Options.parse("--queue"))
        .hasMessage("--queue needs a value");
    assertThatThrownBy(() -> LocalServicesLauncher.Options.parse("--queue", "a b"))
        .hasMessageStartingWith("--queue: 'a b' is not a queue name");
    assertThatThrownBy(() -> LocalServicesLauncher.Options.parse("--dlq"))
        .hasMessage("--dlq needs at least one --queue");
    assertThatThrownBy(
            () -> LocalServicesLauncher.Options.parse("--queue", "q", "--max-receive-count", "0"))
        .hasMessage("--max-receive-count must be between 1 and 1000, was '0'");
    assertThatThrownBy(() -> LocalServicesLauncher.Options.parse("--queues", "q"))
        .hasMessage("unknown option '--queues'");
  }

  private static String print(Map<String, String> endpoints, Map<String, String> env) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    LocalServicesLauncher.print(
        new PrintStream(bytes, true, StandardCharsets.UTF_8), endpoints, env);
    return bytes.toString(StandardCharsets.UTF_8);
  }
}
