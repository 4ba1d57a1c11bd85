package dev.sqsworker.dlq.cli;

import dev.sqsworker.dlq.DeadLetterQueues;
import dev.sqsworker.dlq.DlqException;
import dev.sqsworker.dlq.QueueInfo;
import java.io.IOException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code dlq purge}. */
@Command(
    name = "purge",
    mixinStandardHelpOptions = true,
    description = {
      "Delete every message of a dead-letter queue.",
      "",
      "Asks you to type the queue's name, after showing how many messages it holds, unless --yes is given. Consider 'dlq export' first."
    },
    footer = {
      "%nExamples:",
      "  dlq purge orders-dlq",
      "  dlq export orders-dlq --out backup.jsonl && dlq purge orders-dlq --yes",
      ExitCodes.FOOTER
    })
final class PurgeCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "DLQ", description = "Dead-letter queue: name, URL or ARN.")
  String queue;

  @Option(names = "--yes", description = "Do not ask for confirmation.")
  boolean yes;

  @Override
  public Integer call() throws IOException {
    Output output = new Output(spec);
    DeadLetterQueues dlqs = output.dlqs();
    QueueInfo info = dlqs.queue(queue);
    if (!info.isDeadLetterQueue() && !output.root().force()) {
      throw new DlqException(
          DlqException.Problem.NOT_A_DEAD_LETTER_QUEUE,
          "Queue "
              + info.url()
              + " is not a dead-letter queue: no queue names it in its RedrivePolicy"
              + " (--force skips this check)");
    }
    if (!yes) {
      var err = output.err();
      err.printf(
          "Purge %d messages from %s (%s)? This cannot be undone.%nType the queue name to confirm: ",
          info.total(), info.name(), info.url());
      err.flush();
      String answer = output.root().input().readLine();
      if (answer == null || !answer.trim().equals(info.name())) {
        err.println("Not confirmed; nothing was deleted.");
        err.flush();
        return ExitCodes.NOT_CONFIRMED;
      }
    }
    long purged = dlqs.purge(queue);
    output.print(
        JsonViews.purged(info.url(), purged),
        out -> out.printf("Purged %s (about %d messages).%n", info.name(), purged));
    return ExitCodes.OK;
  }
}
