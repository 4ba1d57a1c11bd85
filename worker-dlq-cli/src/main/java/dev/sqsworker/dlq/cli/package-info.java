/**
 * The {@code dlq} command line (picocli) over {@link dev.sqsworker.dlq.DeadLetterQueues}: {@code
 * queues}, {@code peek}, {@code stats}, {@code replay}, {@code export}, {@code import}, {@code
 * redrive}, {@code purge} and {@code delete}, each printing its result as a table, text or JSON
 * ({@code --output}, {@code --query}). {@link dev.sqsworker.dlq.cli.DlqMain} is the program's entry
 * point; {@link dev.sqsworker.dlq.cli.ExitCodes} lists what it returns.
 */
package dev.sqsworker.dlq.cli;
