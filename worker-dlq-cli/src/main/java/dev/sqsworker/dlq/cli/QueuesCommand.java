package dev.sqsworker.dlq.cli;

import dev.sqsworker.dlq.QueueInfo;
import java.util.ArrayList;
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
      "  dlq queues --prefix orders --output json",
      "  dlq queues --query '[?visible > `0`].name' --output text",
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
    output.print(
        JsonViews.queues(queues),
        out -> {
          List<List<String>> rows = new ArrayList<>();
          for (QueueInfo queue : queues) {
            rows.add(
                List.of(
                    queue.name(),
                    Long.toString(queue.visible()),
                    Long.toString(queue.inFlight()),
                    Long.toString(queue.delayed()),
                    queue.deadLetterQueueUrl() == null
                        ? "-"
                        : Output.queueName(queue.deadLetterQueueUrl())
                            + " (after "
                            + queue.maxReceiveCount()
                            + ")",
                    queue.sourceQueueUrls().isEmpty()
                        ? "-"
                        : String.join(
                            ", ",
                            queue.sourceQueueUrls().stream().map(Output::queueName).toList())));
          }
          out.print(
              Tables.render(
                  List.of(
                      "QUEUE", "VISIBLE", "IN-FLIGHT", "DELAYED", "DEAD-LETTER QUEUE", "DLQ OF"),
                  rows,
                  Tables.width()));
        });
    return ExitCodes.OK;
  }
}
