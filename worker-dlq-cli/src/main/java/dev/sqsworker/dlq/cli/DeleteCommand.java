package dev.sqsworker.dlq.cli;

import dev.sqsworker.core.FailureReason;
import dev.sqsworker.dlq.DeadLetter;
import dev.sqsworker.dlq.DeleteResult;
import dev.sqsworker.dlq.QueueInfo;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code dlq delete}. */
@Command(
    name = "delete",
    mixinStandardHelpOptions = true,
    description = {
      "Delete single messages of a dead-letter queue, by message id.",
      "",
      "Shows the messages it found and asks you to type the queue's name, unless --yes is given. The messages it found stay hidden while it asks, so exactly those are deleted. Consider 'dlq export --message-id' first."
    },
    footer = {
      "%nExamples:",
      "  dlq delete orders-dlq --message-id 5fea7756-0ea4-451a-a703-a558b933e274",
      "  dlq delete orders-dlq --message-id ID1 --message-id ID2 --yes --output json",
      ExitCodes.FOOTER
    })
final class DeleteCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "DLQ", description = "Dead-letter queue: name, URL or ARN.")
  String queue;

  @Option(
      names = "--message-id",
      required = true,
      paramLabel = "ID",
      description = "The id of a message to delete (repeat for more).")
  List<String> messageIds;

  @Option(names = "--yes", description = "Do not ask for confirmation.")
  boolean yes;

  @Override
  public Integer call() {
    Output output = new Output(spec);
    var dlqs = output.dlqs();
    QueueInfo info = dlqs.queue(queue);
    DeleteResult result =
        dlqs.delete(queue, messageIds, found -> yes || confirmed(output, info, found));
    output.print(
        JsonViews.deleted(result.queueUrl(), result.deleted(), result.notFound()),
        out -> report(out, info, result));
    if (!result.confirmed()) {
      return ExitCodes.NOT_CONFIRMED;
    }
    return result.notFound().isEmpty() ? ExitCodes.OK : ExitCodes.SOME_FAILED;
  }

  private static boolean confirmed(Output output, QueueInfo info, List<DeadLetter> found) {
    if (found.isEmpty()) {
      return true; // nothing to delete, nothing to ask
    }
    PrintWriter err = output.err();
    err.printf("Delete %d messages from %s (%s)?%n", found.size(), info.name(), info.url());
    for (DeadLetter letter : found) {
      err.printf(
          "  %s  %s%n",
          letter.messageId(),
          letter
              .failureReason()
              .map(r -> r.kind() + " " + (r.errorClass() == null ? "" : r.errorClass()))
              .orElse("(no " + FailureReason.ATTRIBUTE + " attribute)"));
    }
    err.print("This cannot be undone. Type the queue name to confirm: ");
    err.flush();
    try {
      String answer = output.root().input().readLine();
      if (answer != null && answer.trim().equals(info.name())) {
        return true;
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Could not read the confirmation", e);
    }
    err.println("Not confirmed; nothing was deleted.");
    err.flush();
    return false;
  }

  private static void report(PrintWriter out, QueueInfo info, DeleteResult result) {
    if (result.confirmed()) {
      out.printf("Deleted %d messages from %s.%n", result.deleted().size(), info.name());
    }
    for (String id : result.notFound()) {
      out.printf("  not found: %s%n", id);
    }
  }
}
