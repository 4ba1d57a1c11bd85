package dev.sqsworker.dlq;

import com.amazon.sqs.javamessaging.AmazonSQSExtendedClientUtil;
import dev.sqsworker.dlq.DlqException.Problem;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.payloadoffloading.PayloadS3Pointer;

/**
 * The large payloads of dead letters: a message sent through S3 in the Amazon SQS Extended Client
 * Library's format (as worker-storage's {@code LargePayloadSender} and the library itself send
 * them) reaches the dead-letter queue as a pointer, and stays one there: peek, export and replay
 * show and keep the pointer. This reads the object a pointer names, on request, never more than
 * {@link #maxBytes()} of it. The pointer format is the library's, read with the library.
 */
public final class DeadLetterPayloads {

  /**
   * Default of {@link #maxBytes()}: {@value} bytes, the largest body SQS accepts, so a fetched
   * payload is never longer than a body peek can show.
   */
  public static final int DEFAULT_MAX_BYTES = 1_048_576;

  private final S3Client s3;
  private final int maxBytes;

  private DeadLetterPayloads(S3Client s3, int maxBytes) {
    this.s3 = Objects.requireNonNull(s3, "s3");
    if (maxBytes < 1) {
      throw new IllegalArgumentException("maxBytes must be at least 1, was " + maxBytes);
    }
    this.maxBytes = maxBytes;
  }

  /** Reads payloads through this client (not closed here), at most {@link #DEFAULT_MAX_BYTES}. */
  public static DeadLetterPayloads create(S3Client s3) {
    return new DeadLetterPayloads(s3, DEFAULT_MAX_BYTES);
  }

  /** Reads payloads through this client (not closed here), at most {@code maxBytes} of each. */
  public static DeadLetterPayloads create(S3Client s3, int maxBytes) {
    return new DeadLetterPayloads(s3, maxBytes);
  }

  /** The most bytes of a payload {@link #fetch(DeadLetter)} reads. */
  public int maxBytes() {
    return maxBytes;
  }

  /**
   * The pointer a message carries: present when the message has the library's size attribute
   * ({@code ExtendedPayloadSize}, or the legacy {@code SQSLargePayloadSize}) and its body is the
   * library's pointer.
   */
  public static Optional<PayloadPointer> pointer(DeadLetter letter) {
    Optional<String> attribute =
        AmazonSQSExtendedClientUtil.getReservedAttributeNameIfPresent(letter.attributes());
    if (attribute.isEmpty()) {
      return Optional.empty();
    }
    PayloadS3Pointer pointer;
    try {
      pointer = PayloadS3Pointer.fromJson(letter.body());
    } catch (RuntimeException e) {
      return Optional.empty();
    }
    if (pointer.getS3BucketName() == null || pointer.getS3Key() == null) {
      return Optional.empty();
    }
    return Optional.of(
        new PayloadPointer(
            pointer.getS3BucketName(),
            pointer.getS3Key(),
            size(letter.attributes().get(attribute.get()))));
  }

  /**
   * Reads the payload a pointer message stands for: at most {@link #maxBytes()} of it, cut at a
   * character boundary.
   *
   * @return empty when the message is no pointer message
   * @throws DlqException naming the message, the bucket and the key: {@link
   *     Problem#PAYLOAD_NOT_FOUND} when the object (or its bucket) is gone, {@link Problem#SERVICE}
   *     when S3 refuses otherwise
   */
  public Optional<FetchedPayload> fetch(DeadLetter letter) {
    Optional<PayloadPointer> found = pointer(letter);
    if (found.isEmpty()) {
      return Optional.empty();
    }
    PayloadPointer pointer = found.get();
    String what =
        "message "
            + letter.messageId()
            + ": its large payload (bucket "
            + pointer.bucket()
            + ", key "
            + pointer.key()
            + ")";
    ResponseBytes<GetObjectResponse> bytes;
    try {
      bytes =
          s3.getObjectAsBytes(
              b ->
                  b.bucket(pointer.bucket()).key(pointer.key()).range("bytes=0-" + (maxBytes - 1)));
    } catch (NoSuchKeyException | NoSuchBucketException e) {
      throw new DlqException(
          Problem.PAYLOAD_NOT_FOUND,
          "Could not fetch "
              + what
              + ": "
              + (e instanceof NoSuchKeyException
                  ? "the object is gone"
                  : "the bucket does not exist")
              + " (the pointer is still in the queue)",
          e);
    } catch (S3Exception e) {
      if (e.statusCode() == 416) {
        // A range of an empty object: the payload is the empty string.
        return Optional.of(new FetchedPayload(pointer, "", 0, false));
      }
      if (e.statusCode() == 404) {
        throw new DlqException(
            Problem.PAYLOAD_NOT_FOUND,
            "Could not fetch " + what + ": the object is gone (the pointer is still in the queue)",
            e);
      }
      throw new DlqException(Problem.SERVICE, "Could not fetch " + what + ": " + e.getMessage(), e);
    } catch (SdkException e) {
      throw new DlqException(Problem.SERVICE, "Could not fetch " + what + ": " + e.getMessage(), e);
    }
    byte[] read = bytes.asByteArray();
    long size = totalSize(bytes.response(), read.length);
    boolean truncated = size > maxBytes || read.length > maxBytes;
    int length = truncated ? characterBoundary(read, Math.min(read.length, maxBytes)) : read.length;
    return Optional.of(
        new FetchedPayload(
            pointer, new String(read, 0, length, StandardCharsets.UTF_8), size, truncated));
  }

  private static OptionalLong size(MessageAttributeValue value) {
    if (value == null || value.stringValue() == null) {
      return OptionalLong.empty();
    }
    try {
      return OptionalLong.of(Long.parseLong(value.stringValue().trim()));
    } catch (NumberFormatException e) {
      return OptionalLong.empty();
    }
  }

  /** The whole object's size: the total of {@code Content-Range}, else what was read. */
  private static long totalSize(GetObjectResponse response, int read) {
    String range = response.contentRange();
    if (range != null) {
      int slash = range.lastIndexOf('/');
      if (slash >= 0) {
        try {
          return Long.parseLong(range.substring(slash + 1).trim());
        } catch (NumberFormatException e) {
          // "*": unknown; fall through
        }
      }
    }
    return read;
  }

  /** The largest length ≤ {@code length} that does not cut a UTF-8 character in two. */
  static int characterBoundary(byte[] bytes, int length) {
    int start = length;
    // Back over continuation bytes (10xxxxxx) to the start of the last character.
    while (start > 0 && start > length - 4 && (bytes[start - 1] & 0xC0) == 0x80) {
      start--;
    }
    if (start == 0) {
      return length;
    }
    int lead = bytes[start - 1] & 0xFF;
    int needed = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1;
    return length - (start - 1) >= needed ? length : start - 1;
  }
}
