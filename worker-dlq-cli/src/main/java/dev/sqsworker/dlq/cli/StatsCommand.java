package dev.sqsworker.dlq.cli;

import dev.sqsworker.dlq.DlqStats;
import dev.sqsworker.dlq.FailureGroup;
import dev.sqsworker.dlq.MessageFilter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
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
      "  dlq stats orders-dlq --filter 'age<1d' --json",
      ExitCodes.FOOTER
    })
final class StatsCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "DLQ", description = "Dead-letter queue: name, URL or ARN.")
  String queue;

  @Option(
      names = "--filter",
      paramLabel = "EXPR",
      converter = DlqCommand.FilterConverter.class,
      description = "Only count messages that match (syntax: see 'dlq replay --help').")
  MessageFilter filter = MessageFilter.all();

  @Override
  public Integer call() {
    Output output = new Output(spec);
    DlqStats stats = output.dlqs().stats(queue, filter);
    if (output.json()) {
      output.printJson(stats);
      return ExitCodes.OK;
    }
    var out = output.out();
    out.printf(
        "%d messages in %s (%d without a failure reason)%n",
        stats.total(), Output.queueName(stats.queueUrl()), stats.withoutReason());
    if (stats.notReached() > 0) {
      out.printf(
          "%d more not reached (FIFO: they wait behind the first messages of their group)%n",
          stats.notReached());
    }
    out.println();
    out.printf(
        "%7s  %-12s %-16s %-45s %-20s %-21s %s%n",
        "COUNT", "FINGERPRINT", "KIND", "ERROR CLASS", "SOURCE", "FIRST SEEN", "LAST SEEN");
    for (FailureGroup group : stats.groups()) {
      out.printf(
          "%7d  %-12s %-16s %-45s %-20s %-21s %s%n",
          group.count(),
          dash(group.fingerprint()),
          dash(group.kind()),
          dash(group.errorClass()),
          Output.queueName(group.sourceQueue()),
          Output.time(group.firstSeen()),
          Output.time(group.lastSeen()));
    }
    out.flush();
    return ExitCodes.OK;
  }

  private static String dash(String value) {
    return value == null ? "-" : value;
  }
}
