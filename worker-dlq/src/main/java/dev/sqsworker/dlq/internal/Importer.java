package dev.sqsworker.dlq.internal;

import dev.sqsworker.dlq.DlqException;
import dev.sqsworker.dlq.DlqException.Problem;
import dev.sqsworker.dlq.ImportResult;
import dev.sqsworker.dlq.MessageFailure;
import dev.sqsworker.dlq.ReplayResult;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * Sends the messages of an export file to a queue, with their bodies, all their attributes and, on
 * a FIFO queue, their group ids. Each message gets the deduplication id {@code import-<message id>}
 * unless the original ones are kept, so importing the same file twice within SQS's five-minute
 * deduplication window sends each message once.
 */
public final class Importer {

  private final BatchSender sender;

  /** An importer using the given client. */
  public Importer(SqsClient sqs) {
    this.sender = new BatchSender(sqs);
  }

  /** Sends every line of the file to the queue at {@code queueUrl}. */
  public ImportResult importFile(Path file, String queueUrl, boolean keepDeduplicationIds) {
    // A bad line is found before anything is sent, so a broken file sends nothing.
    validate(file);
    boolean fifo = queueUrl.endsWith(".fifo");
    long sent = 0;
    long failed = 0;
    List<MessageFailure> failures = new ArrayList<>();
    try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      List<Outgoing> batch = new ArrayList<>();
      String line;
      int lineNumber = 0;
      while ((line = reader.readLine()) != null) {
        lineNumber++;
        if (line.isBlank()) {
          continue;
        }
        ArchivedMessage message = parse(file, lineNumber, line);
        batch.add(outgoing(message, "line " + lineNumber, fifo, keepDeduplicationIds));
        if (batch.size() == BatchSender.MAX_ENTRIES) {
          failed += sendBatch(queueUrl, batch, failures);
          sent += batch.size();
          batch.clear();
        }
      }
      if (!batch.isEmpty()) {
        failed += sendBatch(queueUrl, batch, failures);
        sent += batch.size();
      }
    } catch (IOException e) {
      throw new DlqException(
          Problem.IO, "Could not read the import file " + file + ": " + e.getMessage(), e);
    }
    return new ImportResult(file, queueUrl, sent - failed, failed, failures);
  }

  private static void validate(Path file) {
    try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      String line;
      int lineNumber = 0;
      while ((line = reader.readLine()) != null) {
        lineNumber++;
        if (!line.isBlank()) {
          parse(file, lineNumber, line);
        }
      }
    } catch (IOException e) {
      throw new DlqException(
          Problem.IO, "Could not read the import file " + file + ": " + e.getMessage(), e);
    }
  }

  private long sendBatch(String queueUrl, List<Outgoing> batch, List<MessageFailure> failures) {
    long failed = 0;
    for (SendOutcome outcome : sender.send(queueUrl, batch)) {
      if (!outcome.sent()) {
        failed++;
        if (failures.size() < ReplayResult.MAX_FAILURES_LISTED) {
          failures.add(new MessageFailure(outcome.key(), queueUrl, outcome.error()));
        }
      }
    }
    return failed;
  }

  private static Outgoing outgoing(
      ArchivedMessage message, String key, boolean fifo, boolean keepDeduplicationIds) {
    String dedup = null;
    if (fifo) {
      dedup =
          keepDeduplicationIds && message.messageDeduplicationId() != null
              ? message.messageDeduplicationId()
              : "import-" + message.messageId();
    }
    return new Outgoing(
        key,
        message.body(),
        message.sdkAttributes(),
        fifo ? message.messageGroupId() : null,
        dedup);
  }

  private static ArchivedMessage parse(Path file, int lineNumber, String line) {
    try {
      ArchivedMessage message = Json.MAPPER.readValue(line, ArchivedMessage.class);
      if (message.body() == null || message.messageId() == null) {
        throw new IOException("a line needs at least \"messageId\" and \"body\"");
      }
      return message;
    } catch (IOException e) {
      throw new DlqException(
          Problem.IO,
          "Line " + lineNumber + " of " + file + " is not an exported message: " + e.getMessage(),
          e);
    }
  }
}
