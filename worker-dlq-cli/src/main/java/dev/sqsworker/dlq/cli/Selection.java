package dev.sqsworker.dlq.cli;

import dev.sqsworker.dlq.MessageFilter;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** The options that pick messages, the same on every command that reads a queue. */
final class Selection {

  @Option(
      names = "--filter",
      paramLabel = "EXPR",
      converter = DlqCommand.FilterConverter.class,
      description = "Only messages that match (syntax: see 'dlq replay --help').")
  MessageFilter filter = MessageFilter.all();

  @Option(
      names = "--message-id",
      paramLabel = "ID",
      description =
          "Only the message with this id (repeat for more); with --filter, those that match too.")
  List<String> messageIds = new ArrayList<>();

  /** The filter the options describe. */
  MessageFilter filter() {
    return messageIds.isEmpty() ? filter : MessageFilter.messageIds(messageIds).and(filter);
  }

  /**
   * The limit to use: the one given, or with message ids their number, so the pass ends as soon as
   * all of them are found; {@code null} for none.
   */
  Long limit(Long given) {
    if (messageIds.isEmpty()) {
      return given;
    }
    long ids = messageIds.stream().distinct().count();
    return given == null ? ids : Math.min(given, ids);
  }
}
