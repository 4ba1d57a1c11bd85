package dev.sqsworker.dlq.cli;

import dev.sqsworker.testkit.LocalSqs;
import java.io.BufferedReader;
import java.io.PrintWriter;
import java.io.StringReader;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;

/** Runs the {@code dlq} command in this JVM against a local server, capturing its output. */
final class Cli {

  record Run(int exitCode, String out, String err) {}

  private final LocalSqs sqs;
  private String input = "";

  Cli(LocalSqs sqs) {
    this.sqs = sqs;
    // The standard credential chain reads these: the command runs as it would for a user.
    System.setProperty("aws.accessKeyId", sqs.endpoint().accessKeyId());
    System.setProperty("aws.secretAccessKey", sqs.endpoint().secretAccessKey());
  }

  /** What the next run reads on standard input (a confirmation). */
  Cli typing(String input) {
    this.input = input;
    return this;
  }

  /** Runs with the local endpoint and a zero receive wait prepended. */
  Run run(String... args) {
    List<String> all = new ArrayList<>();
    all.add("--endpoint-url=" + sqs.endpoint().uri());
    all.add("--region=" + sqs.endpoint().region());
    all.add("--wait-time=0s");
    all.addAll(List.of(args));
    return runRaw(all.toArray(String[]::new));
  }

  /** Runs exactly these arguments. */
  Run runRaw(String... args) {
    String typed = input;
    DlqCommand command =
        new DlqCommand(
            SqsClientFactory.standard(), () -> new BufferedReader(new StringReader(typed)));
    CommandLine line = DlqCommand.commandLine(command);
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    line.setOut(new PrintWriter(out, true));
    line.setErr(new PrintWriter(err, true));
    try {
      int code = line.execute(args);
      return new Run(code, out.toString(), err.toString());
    } finally {
      command.closeClient();
      input = "";
    }
  }
}
