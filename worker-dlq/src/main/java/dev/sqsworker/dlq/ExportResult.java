package dev.sqsworker.dlq;

import java.nio.file.Path;

/**
 * What an export did.
 *
 * @param queueUrl the queue read
 * @param file the file written
 * @param exported messages written to the file
 * @param skipped messages the filter did not take (left in the queue)
 * @param deleted exported messages deleted from the queue
 */
public record ExportResult(String queueUrl, Path file, long exported, long skipped, long deleted) {}
