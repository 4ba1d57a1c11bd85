package dev.sqsworker.dlq.cli;

import dev.sqsworker.dlq.QueueInfo;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code dlq queues}. */
@Command(
    name = "queues",
    mixinStandardHelpOptions = true,
    description = {
      "List queues with their dead-letter queues and message counts.",
      "",
      "The dead-letter queue comes from each queue's RedrivePolicy; counts are SQS's approximate visible, in-flight and delayed messages."
    },
    footer = {
      "%nExamples:",
      "  dlq queues",
      "  dlq queues --prefix orders --json",
      ExitCodes.FOOTER
    })
final class QueuesCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(
      names = "--prefix",
      paramLabel = "PREFIX",
      description = "Only queues whose name starts so.")
  String prefix;

  @Override
  public Integer call() {
    Output output = new Output(spec);
    List<QueueInfo> queues = output.dlqs().queues(prefix);
    if (output.json()) {
      output.printJson(queues);
      return ExitCodes.OK;
    }
    var out = output.out();
    out.printf(
        "%-40s %9s %9s %9s  %-30s %s%n",
        "QUEUE", "VISIBLE", "IN-FLIGHT", "DELAYED", "DEAD-LETTER QUEUE", "DLQ OF");
    for (QueueInfo queue : queues) {
      out.printf(
          "%-40s %9d %9d %9d  %-30s %s%n",
          queue.name(),
          queue.visible(),
          queue.inFlight(),
          queue.delayed(),
          queue.deadLetterQueueUrl() == null
              ? "-"
              : Output.queueName(queue.deadLetterQueueUrl())
                  + " (after "
                  + queue.maxReceiveCount()
                  + ")",
          queue.sourceQueueUrls().isEmpty()
              ? "-"
              : String.join(
                  ", ", queue.sourceQueueUrls().stream().map(Output::queueName).toList()));
    }
    out.flush();
    return ExitCodes.OK;
  }
}
