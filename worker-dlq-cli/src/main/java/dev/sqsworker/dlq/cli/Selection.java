package dev.sqsworker.dlq.cli;

import dev.sqsworker.dlq.MessageFilter;
import picocli.CommandLine.Option;

/** The options that pick messages, the same on every command that reads a queue. */
final class Selection {

  @Option(
      names = "--filter",
      paramLabel = "EXPR",
      converter = DlqCommand.FilterConverter.class,
      description = "Only messages that match (syntax: see 'dlq replay --help').")
  MessageFilter filter = MessageFilter.all();

  /** The filter the options describe. */
  MessageFilter filter() {
    return filter;
  }
}
