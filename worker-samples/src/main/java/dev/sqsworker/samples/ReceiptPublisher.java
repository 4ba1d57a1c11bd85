package dev.sqsworker.samples;

import dev.sqsworker.core.MessageContext;
import dev.sqsworker.storage.ArtifactKeys;
import dev.sqsworker.storage.ArtifactRegistry;
import dev.sqsworker.storage.ArtifactUploader;
import dev.sqsworker.storage.StoredArtifact;
import java.nio.charset.StandardCharsets;

/**
 * A sample of artifacts: writes an order's receipt through a pre-signed URL, under a key derived
 * from the message's idempotency key (a retry overwrites its own receipt as a new version instead
 * of leaving an orphan), and records the version in PostgreSQL in the handler's transaction.
 */
public final class ReceiptPublisher {

  private final ArtifactUploader uploader;
  private final ArtifactRegistry registry;

  /** Creates the publisher. */
  public ReceiptPublisher(ArtifactUploader uploader, ArtifactRegistry registry) {
    this.uploader = uploader;
    this.registry = registry;
  }

  /** Uploads and records the receipt of an order. */
  public StoredArtifact publish(OrderHandler.Order order, long taxCents, MessageContext context) {
    String idempotencyKey = context.idempotencyKey().orElse(context.messageId());
    String key = ArtifactKeys.forIdempotencyKey("receipts", idempotencyKey, "receipt.txt");
    String text =
        "Receipt for order "
            + order.orderId()
            + "\ncustomer: "
            + order.customer()
            + "\nquantity: "
            + order.quantity()
            + "\ntax: "
            + taxCents
            + " cents\n";
    StoredArtifact artifact =
        uploader.upload(key, text.getBytes(StandardCharsets.UTF_8), "text/plain");
    registry.record(
        context.transaction().orElseThrow(), artifact, context.messageId(), idempotencyKey);
    return artifact;
  }
}
