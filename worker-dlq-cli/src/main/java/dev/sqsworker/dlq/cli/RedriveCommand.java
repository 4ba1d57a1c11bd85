package dev.sqsworker.dlq.cli;

import dev.sqsworker.dlq.RedriveTask;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
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

  static void printTasks(Output output, List<RedriveTask> tasks) {
    var out = output.out();
    if (tasks.isEmpty()) {
      out.println("No message move tasks.");
    }
    for (RedriveTask task : tasks) {
      out.printf(
          "%-10s moved %d%s  %s → %s%s%s%n",
          task.status(),
          task.moved(),
          task.toMove() == null ? "" : " of " + task.toMove(),
          Output.queueName(task.sourceArn()),
          task.destinationArn() == null
              ? "original sources"
              : Output.queueName(task.destinationArn()),
          task.taskHandle() == null ? "" : "  handle " + task.taskHandle(),
          task.failureReason() == null ? "" : "  failure: " + task.failureReason());
    }
    out.flush();
  }

  @Command(
      name = "start",
      mixinStandardHelpOptions = true,
      description = "Start moving every message of the dead-letter queue.",
      footer = {
        "%nExamples:",
        "  dlq redrive start orders-dlq",
        "  dlq redrive start orders-dlq --to orders-replay --rate 50",
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

    @Option(names = "--rate", paramLabel = "MSGS_PER_S", description = "1 to 500 messages/s.")
    Integer rate;

    @Override
    public Integer call() {
      Output output = new Output(spec);
      RedriveTask task = output.dlqs().startRedrive(queue, to, rate);
      if (output.json()) {
        output.printJson(task);
      } else {
        printTasks(output, List.of(task));
      }
      return ExitCodes.OK;
    }
  }

  @Command(
      name = "status",
      mixinStandardHelpOptions = true,
      description = "Show the most recent move tasks of a dead-letter queue (at most 10).",
      footer = {"%nExamples:", "  dlq redrive status orders-dlq --json", ExitCodes.FOOTER})
  static final class Status implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(index = "0", paramLabel = "DLQ", description = "Dead-letter queue.")
    String queue;

    @Override
    public Integer call() {
      Output output = new Output(spec);
      List<RedriveTask> tasks = output.dlqs().redriveTasks(queue);
      if (output.json()) {
        output.printJson(tasks);
      } else {
        printTasks(output, tasks);
      }
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
      if (output.json()) {
        output.printJson(Map.of("taskHandle", handle, "moved", moved));
      } else {
        output.out().printf("Cancelled; %d messages had been moved.%n", moved);
        output.out().flush();
      }
      return ExitCodes.OK;
    }
  }
}
