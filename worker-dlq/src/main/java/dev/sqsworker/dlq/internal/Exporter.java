package dev.sqsworker.dlq.internal;

import dev.sqsworker.dlq.DeadLetterJson;
import dev.sqsworker.dlq.DlqException;
import dev.sqsworker.dlq.DlqException.Problem;
import dev.sqsworker.dlq.ExportRequest;
import dev.sqsworker.dlq.ExportResult;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * Writes a queue's messages as JSON Lines, to a file or a stream. With delete (files only), each
 * batch is written, flushed and forced to disk before its messages are deleted from the queue, so a
 * crash loses nothing: a message is in the file, in the queue, or in both.
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
    String target =
        request.file() == null ? "the output stream" : "the export file " + request.file();
    try (Sink sink = open(request);
        HeldScan scan = new HeldScan(sqs, queueUrl, settings)) {
      long exported = 0;
      long skipped = 0;
      long deleted = 0;
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
          sink.out.write(
              (DeadLetterJson.toLine(received.letter()) + "\n").getBytes(StandardCharsets.UTF_8));
          written.add(received);
        }
        // The lines must be stored before the messages leave the queue.
        sink.flush();
        exported += written.size();
        if (request.delete() && !written.isEmpty()) {
          deleted += written.size() - scan.delete(written).size();
        }
        request.listener().onProgress(exported, skipped, 0);
      }
      long notReached = scan.notReached();
      return new ExportResult(queueUrl, request.file(), exported, skipped, deleted, notReached);
    } catch (FileAlreadyExistsException e) {
      throw new DlqException(
          Problem.IO,
          "The export file " + request.file() + " already exists; it was left as it is");
    } catch (IOException e) {
      throw new DlqException(Problem.IO, "Could not write " + target + ": " + e.getMessage(), e);
    }
  }

  private static Sink open(ExportRequest request) throws IOException {
    if (request.file() == null) {
      // The caller's stream: flushed, never closed.
      return new Sink(
          new FilterOutputStream(request.stream()) {
            @Override
            public void close() throws IOException {
              flush();
            }
          },
          null);
    }
    FileChannel channel =
        FileChannel.open(
            request.file(),
            StandardOpenOption.WRITE,
            request.replaceExisting() ? StandardOpenOption.CREATE : StandardOpenOption.CREATE_NEW,
            StandardOpenOption.TRUNCATE_EXISTING);
    return new Sink(Channels.newOutputStream(channel), channel);
  }

  /** Where the lines go; a file is forced to disk on each flush. */
  private record Sink(OutputStream out, FileChannel channel) implements AutoCloseable {
    void flush() throws IOException {
      out.flush();
      if (channel != null) {
        channel.force(true);
      }
    }

    @Override
    public void close() throws IOException {
      out.close();
    }
  }
}
