package dev.sqsworker.dlq.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.BatchResultErrorEntry;
import software.amazon.awssdk.services.sqs.model.ChangeMessageVisibilityBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.ReceiveMessageRequest;

/**
 * One pass over a queue. Every message it receives stays invisible ("held") until it is deleted,
 * released, or the scan is closed, so the pass sees each message once and other consumers do not
 * take what it is looking at. Closing releases what is still held (visibility 0), so those messages
 * are at once visible again; if the process dies instead, they come back when the hold time ends.
 *
 * <p>A message seen again (its hold ran out during a long pass) is not returned a second time; it
 * is held again under its new receipt handle.
 */
public final class HeldScan implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(HeldScan.class);
  private static final int MAX_BATCH = 10;

  private final SqsClient sqs;
  private final String queueUrl;
  private final ScanSettings settings;
  private final Map<String, String> held = new LinkedHashMap<>();
  private final java.util.Set<String> seen = new java.util.HashSet<>();
  private boolean drained;

  /** Starts a pass over a queue; nothing is received until {@link #next(int)}. */
  public HeldScan(SqsClient sqs, String queueUrl, ScanSettings settings) {
    this.sqs = sqs;
    this.queueUrl = queueUrl;
    this.settings = settings;
  }

  /**
   * Receives up to {@code max} (at most 10) messages not seen before in this pass. Returns an empty
   * list once a receive finds no visible message: the pass is over.
   */
  public List<Received> next(int max) {
    if (drained) {
      return List.of();
    }
    while (true) {
      List<Message> messages = receive(Math.max(1, Math.min(MAX_BATCH, max)));
      if (messages.isEmpty()) {
        drained = true;
        return List.of();
      }
      List<Received> fresh = new ArrayList<>();
      for (Message message : messages) {
        held.put(message.messageId(), message.receiptHandle());
        if (seen.add(message.messageId())) {
          fresh.add(Received.of(message));
        }
      }
      if (!fresh.isEmpty()) {
        return fresh;
      }
    }
  }

  /**
   * How many messages the queue still shows as visible after the pass ended at an empty receive (0
   * if it has not ended so): on a FIFO queue, messages waiting behind a held message of their
   * group, which SQS does not hand out until that one is deleted; on any queue, messages that
   * arrived during the pass. Call it before {@link #close()}.
   */
  public long notReached() {
    if (!drained) {
      return 0;
    }
    String visible =
        SqsErrors.call(
                "count the messages of " + queueUrl,
                () ->
                    sqs.getQueueAttributes(
                        b ->
                            b.queueUrl(queueUrl)
                                .attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES)))
            .attributes()
            .get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES);
    return visible == null ? 0 : Long.parseLong(visible);
  }

  /**
   * How many messages the queue holds now (approximate): visible, in flight and delayed. Read at
   * the start of a pass, it bounds what the pass has to look at.
   */
  public long totalMessages() {
    Map<String, String> counts =
        SqsErrors.call(
                "count the messages of " + queueUrl,
                () ->
                    sqs.getQueueAttributes(
                        b ->
                            b.queueUrl(queueUrl)
                                .attributeNames(
                                    QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
                                    QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE,
                                    QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_DELAYED)))
            .attributesAsStrings();
    return counts.values().stream().mapToLong(Long::parseLong).sum();
  }

  /** Deletes messages from the queue; returns the ids whose delete failed (they stay held). */
  public List<String> delete(Collection<Received> messages) {
    List<String> failed = new ArrayList<>();
    List<Received> all = new ArrayList<>(messages);
    for (int from = 0; from < all.size(); from += MAX_BATCH) {
      List<Received> chunk = all.subList(from, Math.min(all.size(), from + MAX_BATCH));
      List<DeleteMessageBatchRequestEntry> entries = new ArrayList<>();
      for (int i = 0; i < chunk.size(); i++) {
        Received received = chunk.get(i);
        entries.add(
            DeleteMessageBatchRequestEntry.builder()
                .id(Integer.toString(i))
                .receiptHandle(handleOf(received))
                .build());
      }
      var response =
          SqsErrors.call(
              "delete messages from " + queueUrl,
              () -> sqs.deleteMessageBatch(b -> b.queueUrl(queueUrl).entries(entries)));
      List<String> failedIndexes =
          response.failed().stream().map(BatchResultErrorEntry::id).toList();
      for (int i = 0; i < chunk.size(); i++) {
        String id = chunk.get(i).letter().messageId();
        if (failedIndexes.contains(Integer.toString(i))) {
          LOG.warn("Could not delete message {} from {}; it stays there", id, queueUrl);
          failed.add(id);
        } else {
          held.remove(id);
        }
      }
    }
    return failed;
  }

  /** Makes messages visible again at once. */
  public void release(Collection<Received> messages) {
    List<Map.Entry<String, String>> entries = new ArrayList<>();
    for (Received received : messages) {
      String handle = held.remove(received.letter().messageId());
      if (handle != null) {
        entries.add(Map.entry(received.letter().messageId(), handle));
      }
    }
    makeVisible(entries);
  }

  /** Releases everything still held. Never throws: what it cannot release comes back later. */
  @Override
  public void close() {
    // A Ctrl-C interrupt must not stop the release, or the messages would stay hidden for the
    // whole hold time; the flag is restored afterwards.
    boolean interrupted = Thread.interrupted();
    try {
      List<Map.Entry<String, String>> entries = new ArrayList<>(held.entrySet());
      held.clear();
      makeVisible(entries);
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private String handleOf(Received received) {
    return held.getOrDefault(received.letter().messageId(), received.receiptHandle());
  }

  private void makeVisible(List<Map.Entry<String, String>> entries) {
    for (int from = 0; from < entries.size(); from += MAX_BATCH) {
      List<Map.Entry<String, String>> chunk =
          entries.subList(from, Math.min(entries.size(), from + MAX_BATCH));
      List<ChangeMessageVisibilityBatchRequestEntry> batch = new ArrayList<>();
      for (int i = 0; i < chunk.size(); i++) {
        batch.add(
            ChangeMessageVisibilityBatchRequestEntry.builder()
                .id(Integer.toString(i))
                .receiptHandle(chunk.get(i).getValue())
                .visibilityTimeout(0)
                .build());
      }
      try {
        var response = sqs.changeMessageVisibilityBatch(b -> b.queueUrl(queueUrl).entries(batch));
        if (!response.failed().isEmpty()) {
          LOG.warn(
              "{} messages in {} could not be made visible now; they will be after the hold time",
              response.failed().size(),
              queueUrl);
        }
      } catch (SdkException e) {
        LOG.warn(
            "Could not make {} messages in {} visible now; they will be after the hold time",
            chunk.size(),
            queueUrl,
            e);
      }
    }
  }

  private List<Message> receive(int max) {
    Duration wait = settings.receiveWaitTime();
    ReceiveMessageRequest request =
        ReceiveMessageRequest.builder()
            .queueUrl(queueUrl)
            .maxNumberOfMessages(max)
            .visibilityTimeout((int) settings.holdTimeout().toSeconds())
            .waitTimeSeconds((int) wait.toSeconds())
            .messageAttributeNames("All")
            .messageSystemAttributeNames(MessageSystemAttributeName.ALL)
            .build();
    return SqsErrors.call("receive messages from " + queueUrl, () -> sqs.receiveMessage(request))
        .messages();
  }
}
