package dev.sqsworker.dlq.cli;

import dev.sqsworker.dlq.DeadLetterQueues;
import dev.sqsworker.dlq.MessageFailure;
import dev.sqsworker.dlq.ReplayRequest;
import dev.sqsworker.dlq.ReplayResult;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code dlq replay}. */
@Command(
    name = "replay",
    mixinStandardHelpOptions = true,
    description = {
      "Send matching messages back to their source queue (from the sqsworker-failure reason) or to --to, then delete them from the dead-letter queue: send first, delete only after the send succeeded.",
      "",
      "Body and attributes are kept (minus sqsworker-failure, plus sqsworker-replay-count); FIFO messages keep their group and get a new deduplication id. Messages that do not match stay in the dead-letter queue. Ctrl-C stops after the current batch; nothing is lost."
    },
    footer = {
      "%nFilter syntax (--filter):",
      "  comparisons joined by and, or, not and parentheses; and binds tighter than or.",
      "  fields:    messageId errorClass errorMessage fingerprint kind source attempts age",
      "             receiveCount",
      "             attr:NAME (a message attribute)   body:/json/pointer (a value in a JSON body)",
      "  operators: = != ~ (contains) < <= > >= (numbers, durations)",
      "  values:    bare words or \"quoted strings\"; ages like 90s 15m 2h 7d PT1H30M",
      "%nExamples:",
      "  dlq replay orders-dlq --dry-run",
      "  dlq replay orders-dlq --message-id 5fea7756-0ea4-451a-a703-a558b933e274",
      "  dlq replay orders-dlq --filter 'errorClass=com.example.TimeoutException and age<2h'",
      "  dlq replay orders-dlq --filter 'body:/order/type=refund or attr:tenant=acme' --rate 20",
      "  dlq replay orders-dlq --to orders-retry --limit 100 --output json",
      "  dlq replay orders-dlq --dry-run --query byDestination",
      ExitCodes.FOOTER
    })
final class ReplayCommand implements Callable<Integer> {

  /** How long a signal waits for the replay to release what it holds and print its summary. */
  private static final long SHUTDOWN_GRACE_SECONDS = 30;

  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "DLQ", description = "Dead-letter queue: name, URL or ARN.")
  String queue;

  @Option(
      names = "--to",
      paramLabel = "QUEUE",
      description = "Send every message here instead of its source queue.")
  String to;

  @Mixin Selection selection = new Selection();

  @Option(
      names = "--limit",
      paramLabel = "N",
      converter = DlqCommand.LimitConverter.class,
      description = "Replay at most N messages.")
  Long limit;

  @Option(
      names = "--rate",
      paramLabel = "MSGS_PER_S",
      converter = DlqCommand.RateConverter.class,
      description = "Send at most this many messages per second (more than 0).")
  Double rate;

  @Option(names = "--dry-run", description = "Only count what would be replayed; move nothing.")
  boolean dryRun;

  @Override
  public Integer call() {
    Output output = new Output(spec);
    DeadLetterQueues dlqs = output.dlqs();
    long expected = output.forPeople() ? dlqs.queue(queue).visible() : 0;
    ReplayRequest.Builder request =
        ReplayRequest.builder(queue).destination(to).filter(selection.filter()).dryRun(dryRun);
    Long max = selection.limit(limit);
    if (max != null) {
      request.limit(max);
    }
    if (rate != null) {
      request.ratePerSecond(rate);
    }
    AtomicBoolean stop = new AtomicBoolean();
    CountDownLatch finished = new CountDownLatch(1);
    // Ctrl-C or SIGTERM: ask the replay to stop; it finishes the SQS calls under way (an interrupt
    // could abort a receive whose messages SQS already hid), releases what it holds, returns, and
    // the summary is printed. The hook waits for all that, so the JVM does not exit halfway; the
    // JVM then exits with 128 + the signal (130 for SIGINT, 143 for SIGTERM).
    Thread hook =
        new Thread(
            () -> {
              stop.set(true);
              try {
                finished.await(SHUTDOWN_GRACE_SECONDS, TimeUnit.SECONDS);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            },
            "dlq-replay-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    try {
      ReplayResult result;
      try (Progress progress =
          Progress.start(dryRun ? "Dry run" : "Replaying", expected, output.forPeople())) {
        result = dlqs.replay(request.listener(progress).stopWhen(stop::get).build());
      }
      print(output, result);
      if (result.interrupted()) {
        return ExitCodes.INTERRUPTED;
      }
      return result.failed() > 0 ? ExitCodes.SOME_FAILED : ExitCodes.OK;
    } finally {
      finished.countDown();
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException e) {
        // Already shutting down: the hook is running.
      }
    }
  }

  private static void print(Output output, ReplayResult result) {
    output.print(JsonViews.replay(result), out -> report(out, result));
  }

  private static void report(PrintWriter out, ReplayResult result) {
    out.printf(
        "%s%s: replayed %d, skipped %d, failed %d%n",
        result.dryRun() ? "Dry run (nothing moved) " : "",
        Output.queueName(result.deadLetterQueueUrl()),
        result.replayed(),
        result.skipped(),
        result.failed());
    result.byDestination().forEach((queue, count) -> out.printf("  %6d → %s%n", count, queue));
    for (MessageFailure failure : result.failures()) {
      out.printf(
          "  failed %s → %s: %s%n",
          failure.messageId(),
          failure.destination() == null ? "-" : failure.destination(),
          failure.reason());
    }
    if (result.arrivedLater() > 0) {
      out.printf(
          "Left %d messages that reached the queue after the replay started (such as replayed"
              + " messages that failed again); run again to take them.%n",
          result.arrivedLater());
    }
    if (result.interrupted()) {
      out.println("Interrupted: the rest is still in the dead-letter queue.");
    }
    if (result.notReached() > 0) {
      out.printf(
          "Note: %d messages in the queue were not reached (on a FIFO queue they wait behind a"
              + " message of their group that stayed); run again to take them.%n",
          result.notReached());
    }
  }
}
