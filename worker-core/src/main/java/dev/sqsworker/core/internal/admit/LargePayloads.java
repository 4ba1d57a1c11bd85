package dev.sqsworker.core.internal.admit;

import com.amazon.sqs.javamessaging.AmazonSQSExtendedClientUtil;
import dev.sqsworker.core.PayloadDecodingException;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.payloadoffloading.PayloadS3Pointer;
import software.amazon.payloadoffloading.PayloadStoreAsync;
import software.amazon.payloadoffloading.S3AsyncDao;
import software.amazon.payloadoffloading.S3BackedPayloadStoreAsync;

/**
 * The claim check on the receive side: a message that carries an Amazon SQS Extended Client Library
 * pointer (its {@code ExtendedPayloadSize} attribute, or the legacy {@code SQSLargePayloadSize}) is
 * handled with the S3 object it points to; the message itself, pointer and all, is what stays in
 * flight, so a dead letter keeps the pointer. The library reads and deletes the objects, in its own
 * format.
 */
public final class LargePayloads {

  private static final Logger LOG = LoggerFactory.getLogger(LargePayloads.class);
  private static final LargePayloads OFF = new LargePayloads(null, null, false);

  private final String bucket;
  private final PayloadStoreAsync store;
  private final boolean deleteAfterSuccess;

  private LargePayloads(String bucket, PayloadStoreAsync store, boolean deleteAfterSuccess) {
    this.bucket = bucket;
    this.store = store;
    this.deleteAfterSuccess = deleteAfterSuccess;
  }

  /** Pointers are not resolved: every body reaches the decoder as it is. */
  public static LargePayloads off() {
    return OFF;
  }

  /** Resolves pointers into {@code bucket} through this client (not closed here). */
  public static LargePayloads fromS3(S3AsyncClient s3, String bucket, boolean deleteAfterSuccess) {
    return new LargePayloads(
        bucket, new S3BackedPayloadStoreAsync(new S3AsyncDao(s3), bucket), deleteAfterSuccess);
  }

  /** Whether the message's body is a pointer this worker resolves. */
  public boolean isPointer(Message message) {
    return store != null
        && AmazonSQSExtendedClientUtil.getReservedAttributeNameIfPresent(
                message.messageAttributes())
            .isPresent();
  }

  /**
   * The body the handler's payload is decoded from: the S3 object's text for a pointer, else the
   * body. Failures complete the future with a {@link PayloadDecodingException} naming the message
   * and the object.
   */
  public CompletableFuture<String> body(Message message) {
    if (!isPointer(message)) {
      return CompletableFuture.completedFuture(message.body());
    }
    Optional<PayloadS3Pointer> pointer = pointer(message);
    if (pointer.isEmpty()) {
      return CompletableFuture.failedFuture(
          new PayloadDecodingException(
              "Message "
                  + message.messageId()
                  + " carries a large-payload attribute but its body is not an S3 pointer",
              null));
    }
    String pointed = pointer.get().getS3BucketName();
    if (!bucket.equals(pointed)) {
      return CompletableFuture.failedFuture(
          new PayloadDecodingException(
              "Message "
                  + message.messageId()
                  + " points to bucket '"
                  + pointed
                  + "'; this worker reads large payloads from '"
                  + bucket
                  + "' only (largePayloadBucket)",
              null));
    }
    String where = "s3://" + pointed + "/" + pointer.get().getS3Key();
    return store
        .getOriginalPayload(message.body())
        .handle(
            (payload, e) -> {
              if (e == null) {
                return payload;
              }
              Throwable cause = e instanceof CompletionException ? e.getCause() : e;
              throw new PayloadDecodingException(
                  "Cannot read the large payload of message "
                      + message.messageId()
                      + " from "
                      + where
                      + ": "
                      + cause,
                  cause);
            });
  }

  /**
   * After the message succeeded and was deleted: deletes its payload object if so configured. A
   * failure is logged; the bucket's lifecycle expires the object anyway.
   */
  public void succeeded(Message message) {
    if (!deleteAfterSuccess || !isPointer(message) || pointer(message).isEmpty()) {
      return;
    }
    store
        .deleteOriginalPayload(message.body())
        .whenComplete(
            (ok, e) -> {
              if (e != null) {
                LOG.warn(
                    "Could not delete the large payload of message {} ({}); the bucket's"
                        + " lifecycle expires it: {}",
                    message.messageId(),
                    message.body(),
                    String.valueOf(e));
              }
            });
  }

  private static Optional<PayloadS3Pointer> pointer(Message message) {
    try {
      return Optional.ofNullable(PayloadS3Pointer.fromJson(message.body()));
    } catch (RuntimeException e) {
      return Optional.empty();
    }
  }
}
