package dev.sqsworker.dlq.cli;

import dev.sqsworker.dlq.ImportResult;
import dev.sqsworker.dlq.MessageFailure;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code dlq import}. */
@Command(
    name = "import",
    mixinStandardHelpOptions = true,
    description = {
      "Send the messages of an export file to a queue, with their body, every attribute and their FIFO group.",
      "",
      "Each gets the deduplication id import-<exported message id>, so a repeated import within five minutes is absorbed by a FIFO queue; --keep-dedup-ids reuses the exported ones instead."
    },
    footer = {
      "%nExamples:",
      "  dlq import orders-dlq.jsonl --to orders-dlq",
      "  dlq import orders-dlq.jsonl --to orders --output json",
      ExitCodes.FOOTER
    })
final class ImportCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "FILE", description = "A file written by 'dlq export'.")
  Path file;

  @Option(names = "--to", required = true, paramLabel = "QUEUE", description = "Queue to send to.")
  String to;

  @Option(names = "--keep-dedup-ids", description = "Reuse the exported deduplication ids.")
  boolean keepDedupIds;

  @Override
  public Integer call() {
    Output output = new Output(spec);
    ImportResult result = output.dlqs().importFile(file, to, keepDedupIds);
    output.print(
        JsonViews.importResult(result),
        out -> {
          out.printf(
              "Imported %d messages from %s to %s (failed %d)%n",
              result.sent(), result.file(), Output.queueName(result.queueUrl()), result.failed());
          for (MessageFailure failure : result.failures()) {
            out.printf("  failed %s: %s%n", failure.messageId(), failure.reason());
          }
        });
    return result.failed() > 0 ? ExitCodes.SOME_FAILED : ExitCodes.OK;
  }
}
