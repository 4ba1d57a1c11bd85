package dev.sqsworker.dlq;

import java.nio.file.Path;
import java.util.List;

/**
 * What an import did.
 *
 * @param file the file read
 * @param queueUrl the queue written to
 * @param sent messages sent
 * @param failed messages that could not be sent (see {@code failures}; message ids are line
 *     numbers)
 * @param failures the first {@value ReplayResult#MAX_FAILURES_LISTED} failures
 */
public record ImportResult(
    Path file, String queueUrl, long sent, long failed, List<MessageFailure> failures) {

  /** Freezes the list. */
  public ImportResult {
    failures = List.copyOf(failures);
  }
}
