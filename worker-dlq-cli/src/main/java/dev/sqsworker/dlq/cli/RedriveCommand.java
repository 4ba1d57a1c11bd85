package dev.sqsworker.dlq.cli;

import dev.sqsworker.dlq.RedriveTask;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code dlq redrive start|status|cancel}: SQS's native message move tasks. */
@Command(
    name = "redrive",
    mixinStandardHelpOptions = true,
    description = {
      "Drive SQS's native redrive (message move tasks).",
      "",
      "For the unfiltered bulk case: every message of the dead-letter queue goes back, moved by SQS itself."
    },
    subcommands = {
      RedriveCommand.Start.class,
      RedriveCommand.Status.class,
      RedriveCommand.Cancel.class
    },
    footer = {
      "%nExamples:",
      "  dlq redrive start orders-dlq --rate 100",
      "  dlq redrive status orders-dlq",
      "  dlq redrive cancel <task handle>",
      ExitCodes.FOOTER
    })
final class RedriveCommand implements Runnable {

  @Spec CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(
        spec.commandLine(), "Missing subcommand: start, status or cancel");
  }

  static void printTasks(PrintWriter out, List<RedriveTask> tasks) {
    if (tasks.isEmpty()) {
      out.println("No message move tasks.");
      return;
    }
    List<List<String>> rows = new ArrayList<>();
    for (RedriveTask task : tasks) {
      rows.add(
          Arrays.asList(
              task.status(),
              task.moved() + (task.toMove() == null ? "" : " of " + task.toMove()),
              Output.queueName(task.sourceArn()),
              task.destinationArn() == null
                  ? "original sources"
                  : Output.queueName(task.destinationArn()),
              Output.minute(task.startedAt()),
              task.taskHandle(),
              task.failureReason()));
    }
    out.print(
        Tables.render(
            List.of("STATUS", "MOVED", "FROM", "TO", "STARTED", "HANDLE", "FAILURE"),
            rows,
            Tables.width()));
  }

  @Command(
      name = "start",
      mixinStandardHelpOptions = true,
      description = "Start moving every message of the dead-letter queue.",
      footer = {
        "%nExamples:",
        "  dlq redrive start orders-dlq",
        "  dlq redrive start orders-dlq --to orders-replay --rate 50",
        "  dlq redrive start orders-dlq --wait",
        ExitCodes.FOOTER
      })
  static final class Start implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(index = "0", paramLabel = "DLQ", description = "Dead-letter queue.")
    String queue;

    @Option(
        names = "--to",
        paramLabel = "QUEUE",
        description = "Destination (default: each message's original source queue).")
    String to;

    @Option(
        names = "--rate",
        paramLabel = "MSGS_PER_S",
        converter = RedriveRateConverter.class,
        description = "1 to 500 messages/s.")
    Integer rate;

    @Option(
        names = "--wait",
        description =
            "Follow the task with a progress bar until it ends; exit 5 if it failed or was"
                + " cancelled. Ctrl-C stops only the waiting: the task goes on.")
    boolean await;

    @Override
    public Integer call() throws InterruptedException {
      Output output = new Output(spec);
      var dlqs = output.dlqs();
      RedriveTask task = dlqs.startRedrive(queue, to, rate);
      if (await) {
        task = follow(output, task);
      }
      RedriveTask last = task;
      output.print(JsonViews.task(last), out -> printTasks(out, List.of(last)));
      if (await && !"COMPLETED".equals(last.status())) {
        return ExitCodes.SOME_FAILED;
      }
      return ExitCodes.OK;
    }
  }

  /** How often {@code --wait} asks SQS how far a task got. */
  static final Duration POLL_INTERVAL = Duration.ofSeconds(1);

  /** Polls the task until it is neither running nor cancelling, drawing its progress. */
  static RedriveTask follow(Output output, RedriveTask started) throws InterruptedException {
    String queue = started.sourceArn();
    RedriveTask task = started;
    long expected = task.toMove() == null ? 0 : task.toMove();
    try (Progress progress = Progress.start("Redriving", expected, output.forPeople())) {
      while (task.status().equals("RUNNING") || task.status().equals("CANCELLING")) {
        TimeUnit.MILLISECONDS.sleep(POLL_INTERVAL.toMillis());
        String handle = task.taskHandle();
        task =
            output.dlqs().redriveTasks(queue).stream()
                .filter(t -> handle == null || handle.equals(t.taskHandle()))
                .findFirst()
                .orElse(task);
        if (task.toMove() != null) {
          progress.expect(task.toMove());
        }
        progress.onProgress(task.moved(), 0, 0);
      }
    }
    return task;
  }

  @Command(
      name = "status",
      mixinStandardHelpOptions = true,
      description = "Show the most recent move tasks of a dead-letter queue (at most 10).",
      footer = {"%nExamples:", "  dlq redrive status orders-dlq --output json", ExitCodes.FOOTER})
  static final class Status implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(index = "0", paramLabel = "DLQ", description = "Dead-letter queue.")
    String queue;

    @Override
    public Integer call() {
      Output output = new Output(spec);
      List<RedriveTask> tasks = output.dlqs().redriveTasks(queue);
      output.print(JsonViews.tasks(tasks), out -> printTasks(out, tasks));
      return ExitCodes.OK;
    }
  }

  @Command(
      name = "cancel",
      mixinStandardHelpOptions = true,
      description = "Cancel a running move task; what was moved stays moved.",
      footer = {"%nExamples:", "  dlq redrive cancel AQEB6nR4...", ExitCodes.FOOTER})
  static final class Cancel implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(index = "0", paramLabel = "HANDLE", description = "Task handle from 'status'.")
    String handle;

    @Override
    public Integer call() {
      Output output = new Output(spec);
      long moved = output.dlqs().cancelRedrive(handle);
      output.print(
          JsonViews.cancelled(handle, moved),
          out -> out.printf("Cancelled; %d messages had been moved.%n", moved));
      return ExitCodes.OK;
    }
  }

  /** {@code redrive start --rate}: SQS takes 1 to 500 messages per second. */
  static final class RedriveRateConverter implements CommandLine.ITypeConverter<Integer> {
    @Override
    public Integer convert(String value) {
      try {
        int rate = Integer.parseInt(value.trim());
        if (rate >= 1 && rate <= 500) {
          return rate;
        }
      } catch (NumberFormatException e) {
        // reported below
      }
      throw new CommandLine.TypeConversionException(
          "'" + value + "' must be a whole number from 1 to 500 messages per second");
    }
  }
}
