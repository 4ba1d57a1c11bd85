package dev.sqsworker.dlq.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sqsworker.core.FailureReason;
import dev.sqsworker.dlq.DlqException;
import dev.sqsworker.dlq.DlqException.Problem;
import dev.sqsworker.dlq.ExportRequest;
import dev.sqsworker.dlq.ExportResult;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * Writes a queue's messages to a JSON Lines file. With delete, each batch is written, flushed and
 * forced to disk before its messages are deleted from the queue, so a crash loses nothing: a
 * message is in the file, in the queue, or in both.
 */
public final class Exporter {

  private final SqsClient sqs;
  private final ScanSettings settings;
  private final Clock clock;

  /** An exporter using the given client. */
  public Exporter(SqsClient sqs, ScanSettings settings, Clock clock) {
    this.sqs = sqs;
    this.settings = settings;
    this.clock = clock;
  }

  /** Runs one export from the queue at {@code queueUrl}. */
  public ExportResult export(String queueUrl, ExportRequest request) {
    long exported = 0;
    long skipped = 0;
    long deleted = 0;
    long notReached;
    try (FileChannel channel =
            FileChannel.open(
                request.file(),
                StandardOpenOption.CREATE,
                StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING);
        OutputStream out = Channels.newOutputStream(channel);
        HeldScan scan = new HeldScan(sqs, queueUrl, settings)) {
      while (exported < request.limit() && !Thread.currentThread().isInterrupted()) {
        List<Received> batch = scan.next(10);
        if (batch.isEmpty()) {
          break;
        }
        Instant now = clock.instant();
        List<Received> written = new ArrayList<>();
        for (Received received : batch) {
          if (exported + written.size() >= request.limit()) {
            break;
          }
          if (!request.filter().matches(received.letter(), now)) {
            skipped++;
            continue;
          }
          out.write(line(received).getBytes(StandardCharsets.UTF_8));
          written.add(received);
        }
        out.flush();
        // The lines must be on disk before the messages leave the queue.
        channel.force(true);
        exported += written.size();
        if (request.delete() && !written.isEmpty()) {
          deleted += written.size() - scan.delete(written).size();
        }
        request.listener().onProgress(exported, skipped, 0);
      }
      notReached = scan.notReached();
    } catch (IOException e) {
      throw new DlqException(
          Problem.IO,
          "Could not write the export file " + request.file() + ": " + e.getMessage(),
          e);
    }
    return new ExportResult(queueUrl, request.file(), exported, skipped, deleted, notReached);
  }

  private static String line(Received received) throws IOException {
    JsonNode reason =
        received
            .letter()
            .failureReason()
            .map(FailureReason::toJson)
            .map(Exporter::readTree)
            .orElse(null);
    return Json.MAPPER.writeValueAsString(ArchivedMessage.of(received.letter(), reason)) + "\n";
  }

  private static JsonNode readTree(String json) {
    try {
      return Json.MAPPER.readTree(json);
    } catch (IOException e) {
      return null;
    }
  }
}
