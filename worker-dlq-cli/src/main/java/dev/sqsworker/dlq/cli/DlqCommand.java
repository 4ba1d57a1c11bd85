package dev.sqsworker.dlq.cli;

import dev.sqsworker.dlq.DeadLetterQueues;
import dev.sqsworker.dlq.DlqException;
import dev.sqsworker.dlq.DurationText;
import dev.sqsworker.dlq.FilterSyntaxException;
import dev.sqsworker.dlq.MessageFilter;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.function.Supplier;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sqs.SqsClient;

/** The {@code dlq} command: global options and the subcommands. */
@Command(
    name = "dlq",
    mixinStandardHelpOptions = true,
    version = "dlq (sqs-worker) 0.1",
    description = {
      "Inspect, export and replay SQS dead-letter queues without losing a message.",
      "",
      "Queues are given by name, URL or ARN. Moving a message always means: send the copy, then delete the original, so a crash at any point may duplicate a message but never loses one."
    },
    subcommands = {
      QueuesCommand.class,
      PeekCommand.class,
      StatsCommand.class,
      ReplayCommand.class,
      ExportCommand.class,
      ImportCommand.class,
      RedriveCommand.class,
      PurgeCommand.class,
      CommandLine.HelpCommand.class
    },
    footer = {
      "%nExamples:",
      "  dlq queues",
      "  dlq stats orders-dlq",
      "  dlq replay orders-dlq --filter 'errorClass~Timeout and age<1d' --rate 50",
      "  dlq --endpoint-url http://localhost:9324 peek orders-dlq --limit 5",
      ExitCodes.FOOTER
    })
public final class DlqCommand implements Runnable {

  private static final int USAGE_WIDTH = 100;

  @Spec CommandSpec spec;

  @Option(
      names = "--region",
      scope = ScopeType.INHERIT,
      paramLabel = "REGION",
      description = "AWS region (default: AWS_REGION, the profile's, or us-east-1 locally).")
  String region;

  @Option(
      names = "--profile",
      scope = ScopeType.INHERIT,
      paramLabel = "NAME",
      description = "Named profile from the AWS config and credentials files.")
  String profile;

  @Option(
      names = "--endpoint-url",
      scope = ScopeType.INHERIT,
      paramLabel = "URL",
      description = "SQS endpoint, e.g. a local server: http://localhost:9324.")
  URI endpointUrl;

  @Option(
      names = "--json",
      scope = ScopeType.INHERIT,
      description = "Print the result as JSON on standard output, for scripts.")
  boolean json;

  @Option(
      names = "--force",
      scope = ScopeType.INHERIT,
      description = "Work on a queue even if no queue names it as its dead-letter queue.")
  boolean force;

  @Option(
      names = "--hold-timeout",
      scope = ScopeType.INHERIT,
      paramLabel = "DURATION",
      converter = DurationConverter.class,
      description =
          "How long messages being looked at stay invisible if this process dies"
              + " (default: ${DEFAULT-VALUE}). They are visible again at once when it finishes.",
      defaultValue = "5m")
  Duration holdTimeout;

  @Option(
      names = "--wait-time",
      scope = ScopeType.INHERIT,
      paramLabel = "DURATION",
      converter = DurationConverter.class,
      description =
          "Long-poll wait of each receive; an empty receive ends a pass (default: ${DEFAULT-VALUE}).",
      defaultValue = "1s")
  Duration waitTime;

  private final SqsClientFactory clients;
  private final Supplier<BufferedReader> input;
  private SqsClient client;

  /** A command with the standard client factory, reading confirmations from standard input. */
  public DlqCommand() {
    this(
        SqsClientFactory.standard(),
        () -> new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)));
  }

  /** A command with its own client factory and input (tests). */
  public DlqCommand(SqsClientFactory clients, Supplier<BufferedReader> input) {
    this.clients = clients;
    this.input = input;
  }

  /**
   * A picocli {@link CommandLine} for this command, with the exit codes and error messages of
   * {@link ExitCodes}.
   */
  public static CommandLine commandLine(DlqCommand command) {
    CommandLine line = new CommandLine(command);
    line.setUsageHelpWidth(USAGE_WIDTH);
    // A mistake on the command line gets the message and a pointer to --help, not the whole help.
    line.setParameterExceptionHandler(
        (e, args) -> {
          CommandLine cmd = e.getCommandLine();
          cmd.getErr().println(cmd.getColorScheme().errorText("dlq: " + e.getMessage()));
          cmd.getErr()
              .println("Run '" + cmd.getCommandSpec().qualifiedName() + " --help' for usage.");
          cmd.getErr().flush();
          return ExitCodes.USAGE;
        });
    line.setExecutionExceptionHandler(
        (e, cmd, parseResult) -> {
          cmd.getErr().println(cmd.getColorScheme().errorText("dlq: " + message(e)));
          cmd.getErr().flush();
          return exitCode(e);
        });
    return line;
  }

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** The library over the client the global options describe. */
  DeadLetterQueues deadLetterQueues() {
    return DeadLetterQueues.builder(client())
        .holdTimeout(holdTimeout)
        .receiveWaitTime(waitTime)
        .requireDeadLetterQueue(!force)
        .build();
  }

  SqsClient client() {
    if (client == null) {
      client = clients.create(region, profile, endpointUrl);
    }
    return client;
  }

  /** Closes the client, if one was made. */
  void closeClient() {
    if (client != null) {
      client.close();
      client = null;
    }
  }

  BufferedReader input() {
    return input.get();
  }

  boolean json() {
    return json;
  }

  private static String message(Exception e) {
    if (e instanceof DlqException || e instanceof FilterSyntaxException) {
      return e.getMessage();
    }
    if (e instanceof SdkException sdk) {
      return DlqException.of("reach SQS", sdk).getMessage();
    }
    return e.toString();
  }

  private static int exitCode(Exception e) {
    if (e instanceof DlqException dlq) {
      return ExitCodes.of(dlq);
    }
    if (e instanceof FilterSyntaxException || e instanceof IllegalArgumentException) {
      return ExitCodes.USAGE;
    }
    if (e instanceof SdkException sdk) {
      return ExitCodes.of(DlqException.of("reach SQS", sdk));
    }
    return ExitCodes.INTERNAL;
  }

  /** Reads durations like {@code 90s}, {@code 15m}, {@code 2h} or {@code PT1H}. */
  static final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
      return DurationText.parse(value)
          .orElseThrow(
              () ->
                  new CommandLine.TypeConversionException(
                      "'" + value + "' is not a duration (like 90s, 15m, 2h or PT1H)"));
    }
  }

  /** Parses {@code --filter} expressions, reporting the position of a mistake. */
  static final class FilterConverter implements CommandLine.ITypeConverter<MessageFilter> {
    @Override
    public MessageFilter convert(String value) {
      try {
        return MessageFilter.parse(value);
      } catch (FilterSyntaxException e) {
        throw new CommandLine.TypeConversionException(e.getMessage());
      }
    }
  }
}
