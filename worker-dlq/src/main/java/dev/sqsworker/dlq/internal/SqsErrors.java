package dev.sqsworker.dlq.internal;

import dev.sqsworker.dlq.DlqException;
import dev.sqsworker.dlq.DlqException.Problem;
import java.util.function.Supplier;
import software.amazon.awssdk.core.exception.AbortedException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sqs.model.QueueDoesNotExistException;
import software.amazon.awssdk.services.sqs.model.SqsException;

/** Turns SDK exceptions into {@link DlqException}s that say what was being done. */
public final class SqsErrors {

  private SqsErrors() {}

  /** Runs one SQS call; a failure becomes a {@link DlqException} naming {@code what}. */
  public static <T> T call(String what, Supplier<T> call) {
    try {
      return call.get();
    } catch (SdkException e) {
      throw translate(what, e);
    }
  }

  /** The {@link DlqException} for an SDK failure while doing {@code what}. */
  public static DlqException translate(String what, SdkException e) {
    if (e instanceof QueueDoesNotExistException
        || (e instanceof SqsException sqs && isQueueMissing(sqs))) {
      return new DlqException(
          Problem.QUEUE_NOT_FOUND, "Could not " + what + ": the queue does not exist", e);
    }
    if (String.valueOf(e.getMessage()).contains("Unable to load credentials")) {
      return new DlqException(
          Problem.SERVICE,
          "Could not "
              + what
              + ": no AWS credentials found (set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY,"
              + " use --profile, or configure the default profile)",
          e);
    }
    if (String.valueOf(e.getMessage()).contains("Unable to load region")) {
      return new DlqException(
          Problem.SERVICE,
          "Could not " + what + ": no AWS region set (use --region or AWS_REGION)",
          e);
    }
    if (e instanceof AbortedException || Thread.currentThread().isInterrupted()) {
      return new DlqException(Problem.INTERRUPTED, "Interrupted while trying to " + what, e);
    }
    if (e instanceof SqsException sqs && (sqs.isThrottlingException() || isThrottling(sqs))) {
      return new DlqException(
          Problem.THROTTLED,
          "Could not "
              + what
              + ": SQS is throttling requests even after retries ("
              + sqs.awsErrorDetails().errorCode()
              + "); try again later or with a lower --rate",
          e);
    }
    return new DlqException(Problem.SERVICE, "Could not " + what + ": " + e.getMessage(), e);
  }

  private static boolean isQueueMissing(SqsException e) {
    String code = e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
    return code != null
        && (code.contains("NonExistentQueue") || code.contains("QueueDoesNotExist"));
  }

  private static boolean isThrottling(SqsException e) {
    String code = e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
    return code != null
        && (code.contains("Throttl")
            || code.equals("RequestThrottled")
            || code.equals("OverLimit"));
  }
}
