package dev.sqsworker.dlq.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.sqsworker.dlq.DeadLetterQueues;
import java.io.PrintWriter;
import java.time.Duration;
import picocli.CommandLine.Model.CommandSpec;

/** What every subcommand needs: the root command's options, the library and the output. */
final class Output {

  private final CommandSpec spec;

  Output(CommandSpec spec) {
    this.spec = spec;
  }

  DlqCommand root() {
    return (DlqCommand) spec.root().userObject();
  }

  DeadLetterQueues dlqs() {
    return root().deadLetterQueues();
  }

  boolean json() {
    return root().json();
  }

  PrintWriter out() {
    return spec.commandLine().getOut();
  }

  PrintWriter err() {
    return spec.commandLine().getErr();
  }

  /** Prints a value as pretty JSON followed by a newline. */
  void printJson(Object value) {
    try {
      out()
          .println(
              CliJson.MAPPER
                  .copy()
                  .enable(SerializationFeature.INDENT_OUTPUT)
                  .writeValueAsString(value));
      out().flush();
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("Could not print the result as JSON", e);
    }
  }

  /** The body, indented, as pretty JSON when it is JSON. */
  static String prettyBody(String body) {
    try {
      JsonNode node = CliJson.MAPPER.readTree(body);
      if (node != null && (node.isObject() || node.isArray())) {
        return CliJson.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(node);
      }
    } catch (JsonProcessingException e) {
      // Not JSON: shown as it is.
    }
    return body;
  }

  /** A short human duration: 45s, 12m, 3h20m, 4d2h. */
  static String shortDuration(Duration duration) {
    long seconds = duration.getSeconds();
    if (seconds < 60) {
      return seconds + "s";
    }
    if (seconds < 3600) {
      return (seconds / 60) + "m";
    }
    if (seconds < 86_400) {
      return (seconds / 3600) + "h" + ((seconds % 3600) / 60) + "m";
    }
    return (seconds / 86_400) + "d" + ((seconds % 86_400) / 3600) + "h";
  }

  /** An instant to the second, for tables. */
  static String time(java.time.Instant instant) {
    return instant == null
        ? "-"
        : instant.truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString();
  }

  /** The last part of a queue URL or ARN. */
  static String queueName(String urlOrArn) {
    if (urlOrArn == null) {
      return "-";
    }
    int cut = Math.max(urlOrArn.lastIndexOf('/'), urlOrArn.lastIndexOf(':'));
    return urlOrArn.substring(cut + 1);
  }
}
