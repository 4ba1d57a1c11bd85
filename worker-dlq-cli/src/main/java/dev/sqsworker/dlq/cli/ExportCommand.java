package dev.sqsworker.dlq.cli;

import dev.sqsworker.dlq.ExportRequest;
import dev.sqsworker.dlq.ExportResult;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code dlq export}. */
@Command(
    name = "export",
    mixinStandardHelpOptions = true,
    description = {
      "Write messages as JSON Lines, one message per line, losslessly: body, every attribute (binary ones in base64), FIFO group and deduplication ids, failure reason (the message schema of docs/dlq.md).",
      "",
      "An existing file is left alone unless --force is given. With --out - the lines go to standard output and the summary to standard error. With --delete a message is deleted only after its line is written and forced to disk (so not with --out -)."
    },
    footer = {
      "%nExamples:",
      "  dlq export orders-dlq --out orders-dlq.jsonl",
      "  dlq export orders-dlq --out old.jsonl --filter 'age>30d' --delete",
      "  dlq export orders-dlq --out - | gzip > orders-dlq.jsonl.gz",
      ExitCodes.FOOTER
    })
final class ExportCommand implements Callable<Integer> {

  /** The {@code --out} value that means standard output. */
  static final String STDOUT = "-";

  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "DLQ", description = "Dead-letter queue: name, URL or ARN.")
  String queue;

  @Option(
      names = "--out",
      required = true,
      paramLabel = "FILE",
      description = "File to write, or - for standard output.")
  String out;

  @Option(names = "--delete", description = "Delete exported messages from the queue.")
  boolean delete;

  @Mixin Selection selection = new Selection();

  @Option(
      names = "--limit",
      paramLabel = "N",
      converter = DlqCommand.LimitConverter.class,
      description = "Export at most N messages.")
  Long limit;

  @Override
  public Integer call() {
    Output output = new Output(spec);
    boolean toStdout = STDOUT.equals(out);
    if (toStdout && delete) {
      throw new CommandLine.ParameterException(
          spec.commandLine(),
          "--delete needs --out FILE: a message is deleted only after its line is on disk, which"
              + " standard output cannot promise");
    }
    Path file = toStdout ? null : Path.of(out);
    if (file != null && Files.exists(file) && !output.root().force()) {
      throw new CommandLine.ParameterException(
          spec.commandLine(),
          "--out " + out + " already exists; give --force to replace it, or another file");
    }
    var dlqs = output.dlqs();
    // With --out -, standard output carries the lines: the summary and bar go to standard error.
    boolean showProgress = output.forPeople() && !toStdout;
    long expected = showProgress ? dlqs.queue(queue).visible() : 0;
    OutputStream stdout = new FileOutputStream(FileDescriptor.out);
    ExportRequest.Builder request =
        (toStdout ? ExportRequest.builder(queue, stdout) : ExportRequest.builder(queue, file))
            .replaceExisting(output.root().force())
            .filter(selection.filter())
            .delete(delete);
    Long max = selection.limit(limit);
    if (max != null) {
      request.limit(max);
    }
    ExportResult result;
    try (Progress progress = Progress.start("Exporting", expected, showProgress)) {
      result = dlqs.export(request.listener(progress).build());
    }
    PrintWriter summary = toStdout ? output.err() : output.out();
    output.print(summary, JsonViews.export(result), w -> report(w, result));
    // An incomplete archive must not pass for a complete one in "export && purge".
    return result.notReached() > 0 ? ExitCodes.SOME_FAILED : ExitCodes.OK;
  }

  private static void report(PrintWriter out, ExportResult result) {
    out.printf(
        "Exported %d messages from %s to %s (skipped %d, deleted %d)%n",
        result.exported(),
        Output.queueName(result.queueUrl()),
        result.file() == null ? "standard output" : result.file(),
        result.skipped(),
        result.deleted());
    if (result.notReached() > 0) {
      out.printf(
          "Incomplete: %d messages were not reached (on a FIFO queue they wait behind the"
              + " held messages of their group; export with --delete takes them all).%n",
          result.notReached());
    }
  }
}
