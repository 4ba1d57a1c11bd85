package dev.sqsworker.dlq;

import java.nio.file.Path;

/**
 * What an export did.
 *
 * @param queueUrl the queue read
 * @param file the file written, or {@code null} for an export to a stream
 * @param exported messages written to the file
 * @param skipped messages the filter did not take (left in the queue)
 * @param deleted exported messages deleted from the queue
 * @param notReached messages still visible in the queue that the export did not reach: on a FIFO
 *     queue without delete, those behind the held messages of their group; elsewhere, messages that
 *     arrived meanwhile. 0 when the export stopped at its limit
 */
public record ExportResult(
    String queueUrl, Path file, long exported, long skipped, long deleted, long notReached) {}
