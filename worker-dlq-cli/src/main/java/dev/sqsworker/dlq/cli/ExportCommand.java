package dev.sqsworker.dlq.cli;

import dev.sqsworker.dlq.ExportRequest;
import dev.sqsworker.dlq.ExportResult;
import dev.sqsworker.dlq.MessageFilter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code dlq export}. */
@Command(
    name = "export",
    mixinStandardHelpOptions = true,
    description = {
      "Write messages to a JSON Lines file, one message per line, losslessly: body, every attribute (binary ones in base64), FIFO group and deduplication ids, failure reason.",
      "",
      "With --delete a message is deleted only after its line is written and forced to disk."
    },
    footer = {
      "%nExamples:",
      "  dlq export orders-dlq --out orders-dlq.jsonl",
      "  dlq export orders-dlq --out old.jsonl --filter 'age>30d' --delete",
      ExitCodes.FOOTER
    })
final class ExportCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "DLQ", description = "Dead-letter queue: name, URL or ARN.")
  String queue;

  @Option(names = "--out", required = true, paramLabel = "FILE", description = "File to write.")
  Path out;

  @Option(names = "--delete", description = "Delete exported messages from the queue.")
  boolean delete;

  @Option(
      names = "--filter",
      paramLabel = "EXPR",
      converter = DlqCommand.FilterConverter.class,
      description = "Export only messages that match (syntax: see 'dlq replay --help').")
  MessageFilter filter = MessageFilter.all();

  @Option(names = "--limit", paramLabel = "N", description = "Export at most N messages.")
  Long limit;

  @Override
  public Integer call() {
    Output output = new Output(spec);
    var dlqs = output.dlqs();
    long expected = output.json() ? 0 : dlqs.queue(queue).visible();
    ExportRequest.Builder request = ExportRequest.builder(queue, out).filter(filter).delete(delete);
    if (limit != null) {
      request.limit(limit);
    }
    ExportResult result;
    try (Progress progress = Progress.start("Exporting", expected, output.json())) {
      result = dlqs.export(request.listener(progress).build());
    }
    if (output.json()) {
      output.printJson(result);
    } else {
      output
          .out()
          .printf(
              "Exported %d messages from %s to %s (skipped %d, deleted %d)%n",
              result.exported(),
              Output.queueName(result.queueUrl()),
              result.file(),
              result.skipped(),
              result.deleted());
      if (result.notReached() > 0) {
        output
            .out()
            .printf(
                "Incomplete: %d messages were not reached (on a FIFO queue they wait behind the"
                    + " held messages of their group; export with --delete takes them all).%n",
                result.notReached());
      }
      output.out().flush();
    }
    // An incomplete archive must not pass for a complete one in "export && purge".
    return result.notReached() > 0 ? ExitCodes.SOME_FAILED : ExitCodes.OK;
  }
}
