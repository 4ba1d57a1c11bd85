package dev.sqsworker.dlq.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sqsworker.core.Durations;
import dev.sqsworker.dlq.DeadLetterQueues;
import dev.sqsworker.dlq.DlqException;
import dev.sqsworker.dlq.FilterSyntaxException;
import dev.sqsworker.dlq.MessageFilter;
import io.burt.jmespath.Expression;
import io.burt.jmespath.JmesPath;
import io.burt.jmespath.JmesPathException;
import io.burt.jmespath.jackson.JacksonRuntime;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.function.Supplier;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
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
      DeleteCommand.class,
      CommandLine.HelpCommand.class
    },
    footer = {
      "%nExamples:",
      "  dlq queues",
      "  dlq stats orders-dlq",
      "  dlq replay orders-dlq --filter 'errorClass~Timeout and age<1d' --rate 50",
      "  dlq --endpoint-url http://localhost:9324 peek orders-dlq --limit 5",
      "  dlq stats orders-dlq --query 'groups[].[count, errorClass]' --output text",
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
      converter = EndpointConverter.class,
      description = "SQS endpoint, e.g. a local server: http://localhost:9324.")
  URI endpointUrl;

  @Option(
      names = "--s3-endpoint-url",
      scope = ScopeType.INHERIT,
      paramLabel = "URL",
      converter = EndpointConverter.class,
      description =
          "S3 endpoint for large payloads (peek --fetch-payload), e.g. a local server (default:"
              + " --endpoint-url, as LocalStack serves both; else AWS_ENDPOINT_URL_S3 or S3).")
  URI s3EndpointUrl;

  @Option(
      names = "--output",
      scope = ScopeType.INHERIT,
      paramLabel = "FORMAT",
      description =
          "How to print the result: ${COMPLETION-CANDIDATES} (default: table for people; json"
              + " when --query is given). json and text go to standard output and nothing else"
              + " does.")
  OutputFormat output;

  @Option(names = "--json", scope = ScopeType.INHERIT, description = "Same as --output json.")
  boolean json;

  @Option(
      names = "--query",
      scope = ScopeType.INHERIT,
      paramLabel = "JMESPATH",
      converter = QueryConverter.class,
      description =
          "A JMESPath expression applied to the JSON result before it is printed, as in the AWS"
              + " CLI, e.g. 'groups[].errorClass'.")
  Expression<JsonNode> query;

  @Option(
      names = "--force",
      scope = ScopeType.INHERIT,
      description = "Work on a queue even if no queue names it as its dead-letter queue.")
  boolean force;

  @Option(
      names = "--hold-timeout",
      scope = ScopeType.INHERIT,
      paramLabel = "DURATION",
      converter = HoldTimeoutConverter.class,
      description =
          "How long messages being looked at stay invisible if this process dies"
              + " (default: ${DEFAULT-VALUE}). They are visible again at once when it finishes.",
      defaultValue = "5m")
  Duration holdTimeout;

  @Option(
      names = "--wait-time",
      scope = ScopeType.INHERIT,
      paramLabel = "DURATION",
      converter = WaitTimeConverter.class,
      description =
          "Long-poll wait of each receive; an empty receive ends a pass (default: ${DEFAULT-VALUE}).",
      defaultValue = "1s")
  Duration waitTime;

  private final SqsClientFactory clients;
  private final S3ClientFactory s3Clients;
  private final Supplier<BufferedReader> input;
  private SqsClient client;
  private S3Client s3Client;

  /** A command with the standard client factories, reading confirmations from standard input. */
  public DlqCommand() {
    this(
        SqsClientFactory.standard(),
        () -> new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)));
  }

  /** A command with its own SQS client factory and input (tests), the standard S3 factory. */
  public DlqCommand(SqsClientFactory clients, Supplier<BufferedReader> input) {
    this(clients, S3ClientFactory.standard(), input);
  }

  /** A command with its own client factories and input (tests). */
  public DlqCommand(
      SqsClientFactory clients, S3ClientFactory s3Clients, Supplier<BufferedReader> input) {
    this.clients = clients;
    this.s3Clients = s3Clients;
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

  /**
   * The S3 client for large payloads, made on first use from the same region and profile as the SQS
   * client, and {@code --s3-endpoint-url} (else {@code --endpoint-url}).
   */
  S3Client s3Client() {
    if (s3Client == null) {
      s3Client =
          s3Clients.create(region, profile, s3EndpointUrl != null ? s3EndpointUrl : endpointUrl);
    }
    return s3Client;
  }

  /** Closes the clients, if any were made. */
  void closeClient() {
    if (client != null) {
      client.close();
      client = null;
    }
    if (s3Client != null) {
      s3Client.close();
      s3Client = null;
    }
  }

  BufferedReader input() {
    return input.get();
  }

  /** The output format: --json, else --output, else JSON with --query, else tables. */
  OutputFormat format() {
    if (json) {
      if (output != null && output != OutputFormat.json) {
        throw new CommandLine.ParameterException(
            spec.commandLine(), "--json and --output " + output + " contradict each other");
      }
      return OutputFormat.json;
    }
    if (output != null) {
      return output;
    }
    return query != null ? OutputFormat.json : OutputFormat.table;
  }

  Expression<JsonNode> query() {
    return query;
  }

  boolean force() {
    return force;
  }

  private static String message(Exception e) {
    if (e instanceof DlqException
        || e instanceof FilterSyntaxException
        || e instanceof IllegalArgumentException) {
      return e.getMessage();
    }
    if (e instanceof JmesPathException) {
      return "--query could not be applied: " + e.getMessage();
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
    if (e instanceof FilterSyntaxException
        || e instanceof IllegalArgumentException
        || e instanceof JmesPathException) {
      return ExitCodes.USAGE;
    }
    if (e instanceof SdkException sdk) {
      return ExitCodes.of(DlqException.of("reach SQS", sdk));
    }
    return ExitCodes.INTERNAL;
  }

  /** Reads durations like {@code 90s}, {@code 15m}, {@code 2h} or {@code PT1H}. */
  static class DurationConverter implements CommandLine.ITypeConverter<Duration> {
    private final Duration min;
    private final Duration max;

    DurationConverter() {
      this(Duration.ZERO, ChronoUnit.FOREVER.getDuration());
    }

    DurationConverter(Duration min, Duration max) {
      this.min = min;
      this.max = max;
    }

    @Override
    public Duration convert(String value) {
      Duration duration =
          Durations.tryParse(value)
              .orElseThrow(
                  () ->
                      new CommandLine.TypeConversionException(
                          "'" + value + "' is not a duration (like 90s, 15m, 2h or PT1H)"));
      if (duration.compareTo(min) < 0 || duration.compareTo(max) > 0) {
        throw new CommandLine.TypeConversionException(
            "'" + value + "' must be between " + text(min) + " and " + text(max));
      }
      return duration;
    }

    private static String text(Duration duration) {
      return duration.isZero() ? "0s" : Output.shortDuration(duration);
    }
  }

  /** {@code --hold-timeout}: 1 s to 12 h, SQS's visibility timeout range. */
  static final class HoldTimeoutConverter extends DurationConverter {
    HoldTimeoutConverter() {
      super(Duration.ofSeconds(1), Duration.ofHours(12));
    }
  }

  /** {@code --wait-time}: 0 to 20 s, SQS's long-poll range. */
  static final class WaitTimeConverter extends DurationConverter {
    WaitTimeConverter() {
      super(Duration.ZERO, Duration.ofSeconds(20));
    }
  }

  /** {@code --endpoint-url}: an absolute http or https URL with a host. */
  static final class EndpointConverter implements CommandLine.ITypeConverter<URI> {
    @Override
    public URI convert(String value) {
      try {
        URI uri = new URI(value);
        if (uri.getScheme() != null
            && (uri.getScheme().equals("http") || uri.getScheme().equals("https"))
            && uri.getHost() != null) {
          return uri;
        }
      } catch (URISyntaxException e) {
        // reported below
      }
      throw new CommandLine.TypeConversionException(
          "'" + value + "' is not an http or https URL (like http://localhost:9324)");
    }
  }

  /** {@code --query}: a JMESPath expression, checked before anything is read. */
  static final class QueryConverter implements CommandLine.ITypeConverter<Expression<JsonNode>> {
    /** Made on first use: picocli makes every converter up front, even for --version. */
    private static final class Runtime {
      static final JmesPath<JsonNode> JMESPATH = new JacksonRuntime();
    }

    @Override
    public Expression<JsonNode> convert(String value) {
      try {
        return Runtime.JMESPATH.compile(value);
      } catch (JmesPathException e) {
        String reason = String.valueOf(e.getMessage()).lines().findFirst().orElse("");
        throw new CommandLine.TypeConversionException(
            "'" + value + "' is not a JMESPath expression: " + reason);
      }
    }
  }

  /** {@code --rate} of a replay: more than 0 messages per second. */
  static final class RateConverter implements CommandLine.ITypeConverter<Double> {
    @Override
    public Double convert(String value) {
      double rate;
      try {
        rate = Double.parseDouble(value);
      } catch (NumberFormatException e) {
        throw new CommandLine.TypeConversionException("'" + value + "' is not a number");
      }
      if (!(rate > 0) || Double.isInfinite(rate)) {
        throw new CommandLine.TypeConversionException(
            "'" + value + "' must be more than 0 messages per second");
      }
      return rate;
    }
  }

  /** {@code --limit}: at least 1. */
  static final class LimitConverter implements CommandLine.ITypeConverter<Long> {
    @Override
    public Long convert(String value) {
      long limit;
      try {
        limit = Long.parseLong(value.trim());
      } catch (NumberFormatException e) {
        throw new CommandLine.TypeConversionException("'" + value + "' is not a whole number");
      }
      if (limit < 1) {
        throw new CommandLine.TypeConversionException("'" + value + "' must be at least 1");
      }
      return limit;
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
