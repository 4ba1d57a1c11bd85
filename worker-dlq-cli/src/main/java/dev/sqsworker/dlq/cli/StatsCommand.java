package dev.sqsworker.dlq.cli;

import dev.sqsworker.dlq.DlqStats;
import dev.sqsworker.dlq.FailureGroup;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code dlq stats}. */
@Command(
    name = "stats",
    mixinStandardHelpOptions = true,
    description = {
      "Group the messages of a dead-letter queue by failure fingerprint, error class and source queue, with counts and first/last seen: which bug to fix first.",
      "",
      "Reads the whole queue; every message is visible again at the end."
    },
    footer = {
      "%nExamples:",
      "  dlq stats orders-dlq",
      "  dlq stats orders-dlq --filter 'age<1d' --output json",
      "  dlq stats orders-dlq --query 'groups[].[count, errorClass, sampleErrorMessage]' --output text",
      ExitCodes.FOOTER
    })
final class StatsCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "DLQ", description = "Dead-letter queue: name, URL or ARN.")
  String queue;

  @Mixin Selection selection = new Selection();

  @Override
  public Integer call() {
    Output output = new Output(spec);
    DlqStats stats = output.dlqs().stats(queue, selection.filter());
    output.print(JsonViews.stats(stats), out -> report(out, stats));
    return ExitCodes.OK;
  }

  private static void report(PrintWriter out, DlqStats stats) {
    out.printf(
        "%d messages in %s (%d without a failure reason)%n",
        stats.total(), Output.queueName(stats.queueUrl()), stats.withoutReason());
    if (stats.notReached() > 0) {
      out.printf(
          "%d more not reached (FIFO: they wait behind the first messages of their group)%n",
          stats.notReached());
    }
    out.println();
    List<List<String>> rows = new ArrayList<>();
    for (FailureGroup group : stats.groups()) {
      rows.add(
          Arrays.asList(
              Long.toString(group.count()),
              dash(group.fingerprint()),
              dash(group.kind()),
              dash(group.errorClass()),
              dash(group.sampleErrorMessage()),
              Output.queueName(group.sourceQueue()),
              Output.minute(group.firstSeen()),
              Output.minute(group.lastSeen())));
    }
    out.print(
        Tables.render(
            List.of(
                "COUNT",
                "FINGERPRINT",
                "KIND",
                "ERROR CLASS",
                "SAMPLE ERROR",
                "SOURCE",
                "FIRST SEEN (UTC)",
                "LAST SEEN (UTC)"),
            rows,
            Tables.width()));
  }

  private static String dash(String value) {
    return value == null ? "-" : value;
  }
}
