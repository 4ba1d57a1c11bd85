package dev.sqsworker.dlq.cli;

/** How a command prints its result ({@code --output}), as the AWS CLI names them. */
enum OutputFormat {
  /** Pretty JSON on standard output, in the schema of docs/dlq.md; nothing else goes there. */
  json,
  /** Tables and reports for people (the default). */
  table,
  /** Tab-separated values, one record per line, for shell scripts. */
  text
}
