package dev.sqsworker.dlq.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.sqsworker.dlq.DeadLetterQueues;
import io.burt.jmespath.Expression;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import picocli.CommandLine.Model.CommandSpec;

/**
 * What every subcommand needs: the root command's options, the library and the output. A command
 * hands its result as JSON (the schema of docs/dlq.md) plus, optionally, a report for people;
 * {@code --query} and {@code --output} decide what is printed.
 */
final class Output {

  private static final java.time.format.DateTimeFormatter MINUTES =
      java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm")
          .withZone(java.time.ZoneOffset.UTC);

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

  /** The format asked for; with {@code --query} and no {@code --output}, JSON. */
  OutputFormat format() {
    return root().format();
  }

  /** Whether a person reads the output (tables, progress bars), rather than a program. */
  boolean forPeople() {
    return format() == OutputFormat.table;
  }

  PrintWriter out() {
    return spec.commandLine().getOut();
  }

  PrintWriter err() {
    return spec.commandLine().getErr();
  }

  /**
   * Prints a result: as JSON or text from {@code json} (after {@code --query}), or as the command's
   * report for people when there is one and no query.
   */
  void print(JsonNode json, Consumer<PrintWriter> report) {
    print(out(), json, report);
  }

  /** Like {@link #print(JsonNode, Consumer)}, to another writer (standard error). */
  void print(PrintWriter writer, JsonNode json, Consumer<PrintWriter> report) {
    Expression<JsonNode> query = root().query();
    JsonNode value = query == null ? json : query.search(json);
    switch (format()) {
      case json -> writer.println(pretty(value));
      case text -> text(writer, value);
      case table -> {
        if (query == null && report != null) {
          report.accept(writer);
        } else {
          table(writer, value);
        }
      }
    }
    writer.flush();
  }

  /** Pretty JSON. */
  static String pretty(JsonNode value) {
    try {
      return CliJson.MAPPER
          .copy()
          .enable(SerializationFeature.INDENT_OUTPUT)
          .writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("Could not print the result as JSON", e);
    }
  }

  /**
   * The AWS CLI's text output: a list of objects is one line per object, its values separated by
   * tabs; a list of values is one line; an object is its values on one line; nested lists and
   * objects inside a line are compact JSON.
   */
  private static void text(PrintWriter out, JsonNode value) {
    if (value == null || value.isNull() || value.isMissingNode()) {
      return;
    }
    if (value.isArray()) {
      List<String> scalars = new ArrayList<>();
      for (JsonNode item : value) {
        if (item.isObject() || item.isArray()) {
          if (!scalars.isEmpty()) {
            out.println(String.join("\t", scalars));
            scalars.clear();
          }
          text(out, item);
        } else {
          scalars.add(scalar(item));
        }
      }
      if (!scalars.isEmpty()) {
        out.println(String.join("\t", scalars));
      }
      return;
    }
    if (value.isObject()) {
      List<String> cells = new ArrayList<>();
      value.elements().forEachRemaining(v -> cells.add(scalar(v)));
      out.println(String.join("\t", cells));
      return;
    }
    out.println(scalar(value));
  }

  /** A queried value as a table: a list of objects gets a column per field. */
  private static void table(PrintWriter out, JsonNode value) {
    if (value == null || value.isNull() || value.isMissingNode()) {
      return;
    }
    if (value.isArray() && value.size() > 0 && value.get(0).isObject()) {
      Set<String> fields = new LinkedHashSet<>();
      value.forEach(item -> item.fieldNames().forEachRemaining(fields::add));
      List<List<String>> rows = new ArrayList<>();
      for (JsonNode item : value) {
        List<String> row = new ArrayList<>();
        for (String field : fields) {
          row.add(item.has(field) ? scalar(item.get(field)) : "-");
        }
        rows.add(row);
      }
      out.print(
          Tables.render(
              fields.stream().map(f -> f.toUpperCase(java.util.Locale.ROOT)).toList(),
              rows,
              Tables.width()));
    } else if (value.isObject()) {
      List<List<String>> rows = new ArrayList<>();
      for (Map.Entry<String, JsonNode> field : value.properties()) {
        rows.add(List.of(field.getKey(), scalar(field.getValue())));
      }
      out.print(Tables.render(List.of("FIELD", "VALUE"), rows, Tables.width()));
    } else if (value.isArray()) {
      List<List<String>> rows = new ArrayList<>();
      value.forEach(item -> rows.add(List.of(scalar(item))));
      out.print(Tables.render(List.of("VALUE"), rows, Tables.width()));
    } else {
      out.println(scalar(value));
    }
  }

  private static String scalar(JsonNode value) {
    if (value == null || value.isNull()) {
      return "-";
    }
    if (value.isValueNode()) {
      return value.asText();
    }
    return value.toString();
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

  /** An instant to the minute, UTC, short enough for a table column: 2026-11-30 10:05. */
  static String minute(java.time.Instant instant) {
    return instant == null ? "-" : MINUTES.format(instant);
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
