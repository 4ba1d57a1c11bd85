package dev.sqsworker.dlq;

import java.util.Objects;
import java.util.OptionalLong;

/**
 * Where the payload of a pointer message is: the S3 object that an Amazon SQS Extended Client
 * Library pointer names (see {@link DeadLetterPayloads#pointer(DeadLetter)}).
 *
 * @param bucket the bucket
 * @param key the object's key
 * @param size the payload's size in bytes as the message's size attribute gives it, if it does
 */
public record PayloadPointer(String bucket, String key, OptionalLong size) {

  /** Checks the parts. */
  public PayloadPointer {
    Objects.requireNonNull(bucket, "bucket");
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(size, "size");
  }

  /** {@code s3://bucket/key}. */
  public String uri() {
    return "s3://" + bucket + "/" + key;
  }
}
