package dev.sqsworker.dlq.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.BatchRequestTooLongException;
import software.amazon.awssdk.services.sqs.model.BatchResultErrorEntry;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeNameForSends;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeValue;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResponse;
import software.amazon.awssdk.services.sqs.model.SqsException;

/**
 * Sends messages with {@code SendMessageBatch}: at most ten per call and at most 256 KiB per call,
 * falling back to one message per call when SQS finds a batch too long. Each message's outcome is
 * reported separately, so one message that is too large does not fail the others.
 */
public final class BatchSender {

  static final int MAX_ENTRIES = 10;
  static final int MAX_BATCH_BYTES = 256 * 1024;

  private final SqsClient sqs;

  /** A sender using the given client. */
  public BatchSender(SqsClient sqs) {
    this.sqs = sqs;
  }

  /** Sends the messages to a queue and reports each one's outcome, in order. */
  public List<SendOutcome> send(String queueUrl, List<Outgoing> messages) {
    List<SendOutcome> outcomes = new ArrayList<>();
    List<Outgoing> batch = new ArrayList<>();
    int batchBytes = 0;
    for (Outgoing message : messages) {
      int size = message.size();
      if (!batch.isEmpty()
          && (batch.size() == MAX_ENTRIES || batchBytes + size > MAX_BATCH_BYTES)) {
        outcomes.addAll(sendBatch(queueUrl, batch));
        batch = new ArrayList<>();
        batchBytes = 0;
      }
      batch.add(message);
      batchBytes += size;
    }
    if (!batch.isEmpty()) {
      outcomes.addAll(sendBatch(queueUrl, batch));
    }
    return outcomes;
  }

  private List<SendOutcome> sendBatch(String queueUrl, List<Outgoing> batch) {
    List<SendMessageBatchRequestEntry> entries = new ArrayList<>();
    for (int i = 0; i < batch.size(); i++) {
      Outgoing message = batch.get(i);
      SendMessageBatchRequestEntry.Builder entry =
          SendMessageBatchRequestEntry.builder()
              .id(Integer.toString(i))
              .messageBody(message.body())
              .messageAttributes(message.attributes())
              .messageGroupId(message.groupId())
              .messageDeduplicationId(message.deduplicationId());
      if (message.traceHeader() != null) {
        entry.messageSystemAttributesWithStrings(
            Map.of(
                MessageSystemAttributeNameForSends.AWS_TRACE_HEADER.toString(),
                MessageSystemAttributeValue.builder()
                    .dataType("String")
                    .stringValue(message.traceHeader())
                    .build()));
      }
      entries.add(entry.build());
    }
    SendMessageBatchResponse response;
    try {
      response = sqs.sendMessageBatch(b -> b.queueUrl(queueUrl).entries(entries));
    } catch (BatchRequestTooLongException e) {
      return batch.size() == 1 ? List.of(tooLarge(batch.get(0), e)) : oneByOne(queueUrl, batch);
    } catch (SqsException e) {
      if (batch.size() == 1 && isInvalidMessage(e)) {
        return List.of(new SendOutcome(batch.get(0).key(), false, describe(e)));
      }
      if (isInvalidMessage(e)) {
        // One bad message fails the whole call: send them singly to find it.
        return oneByOne(queueUrl, batch);
      }
      throw SqsErrors.translate("send messages to " + queueUrl, e);
    }
    Map<String, String> errors = new HashMap<>();
    for (BatchResultErrorEntry failed : response.failed()) {
      errors.put(failed.id(), failed.code() + ": " + failed.message());
    }
    List<SendOutcome> outcomes = new ArrayList<>();
    for (int i = 0; i < batch.size(); i++) {
      String error = errors.get(Integer.toString(i));
      outcomes.add(new SendOutcome(batch.get(i).key(), error == null, error));
    }
    return outcomes;
  }

  private List<SendOutcome> oneByOne(String queueUrl, List<Outgoing> batch) {
    List<SendOutcome> outcomes = new ArrayList<>();
    for (Outgoing message : batch) {
      outcomes.addAll(sendBatch(queueUrl, List.of(message)));
    }
    return outcomes;
  }

  private static SendOutcome tooLarge(Outgoing message, Exception e) {
    return new SendOutcome(
        message.key(),
        false,
        "message too large to send (" + message.size() + " bytes): " + e.getMessage());
  }

  private static boolean isInvalidMessage(SqsException e) {
    if (e.statusCode() != 400 || e.awsErrorDetails() == null) {
      return false;
    }
    String code = String.valueOf(e.awsErrorDetails().errorCode());
    return code.contains("InvalidParameterValue")
        || code.contains("InvalidMessageContents")
        || code.contains("InvalidAttribute")
        || code.contains("MissingParameter")
        || code.contains("TooLong");
  }

  private static String describe(SqsException e) {
    String code = e.awsErrorDetails() == null ? "" : e.awsErrorDetails().errorCode() + ": ";
    return code
        + (e.awsErrorDetails() == null ? e.getMessage() : e.awsErrorDetails().errorMessage());
  }
}
