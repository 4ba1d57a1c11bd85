package dev.sqsworker.core.internal.message;

import dev.sqsworker.core.idempotency.Claim;
import dev.sqsworker.core.idempotency.ClaimResult;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;

/**
 * A received message the worker is responsible for until it is deleted, retried, dead-lettered or
 * released: its visibility deadline, its handling deadline and its cancellation.
 */
public final class InFlightMessage {

  private final Message message;
  private final Instant receivedAt;
  private volatile Instant handlingDeadline;
  private volatile Instant visibleUntil;
  private volatile boolean extending;
  private volatile Object payload;
  private volatile String resolvedBody;
  private volatile RuntimeException decodeFailure;
  private volatile RuntimeException keyFailure;
  private volatile String idempotencyKey;
  private volatile ClaimResult claim;
  private final AtomicBoolean holdsPermit = new AtomicBoolean(true);
  private final CompletableFuture<Void> settled = new CompletableFuture<>();
  private Thread handlerThread;
  private volatile boolean started;
  private volatile boolean handedOff;
  private volatile long runningSince = NOT_RUNNING;
  private boolean cancelled;
  private Throwable cancelReason;

  /**
   * Creates the record of a message received at {@code receivedAt} (taken before the receive was
   * sent, so the estimate of its visibility errs early).
   */
  public InFlightMessage(
      Message message, Instant receivedAt, Instant visibleUntil, Instant handlingDeadline) {
    this.message = message;
    this.receivedAt = receivedAt;
    this.visibleUntil = visibleUntil;
    this.handlingDeadline = handlingDeadline;
  }

  /** {@link #runningSince()} of a delivery whose handler slot is not running it. */
  public static final long NOT_RUNNING = Long.MIN_VALUE;

  /** Marks that a handler slot took this delivery up at {@code nanos} (a monotonic ticker). */
  public void running(long nanos) {
    this.runningSince = nanos;
  }

  /**
   * When a handler slot took this delivery up (a monotonic ticker), or {@link #NOT_RUNNING} before
   * that and once the slot is free again.
   */
  public long runningSince() {
    return runningSince;
  }

  /**
   * Gives up the handler slot this delivery holds.
   *
   * @return true the first time only, so a slot is never given back twice
   */
  public boolean releasePermit() {
    return holdsPermit.compareAndSet(true, false);
  }

  /**
   * Completes when the worker is done with this delivery: deleted, put back, or dead-lettered (the
   * SQS and store calls its settlement needs have finished). Until then it is in flight and the
   * heartbeat keeps it invisible.
   */
  public CompletableFuture<Void> settled() {
    return settled;
  }

  /** Marks the delivery settled (idempotent). */
  public void markSettled() {
    settled.complete(null);
  }

  /** The message as received. */
  public Message message() {
    return message;
  }

  /** The SQS message id. */
  public String messageId() {
    return message.messageId();
  }

  /** When the receive that delivered it was sent. */
  public Instant receivedAt() {
    return receivedAt;
  }

  /** Until when SQS keeps it invisible, as far as the worker knows. */
  public Instant visibleUntil() {
    return visibleUntil;
  }

  /**
   * Starts the handling clock: the handler may run {@code maxHandlingTime} from {@code now} (never
   * past {@code latest}, SQS's limit for the message). Until then the message waits (a FIFO group
   * ahead of it) and the time it waits does not count against its handler.
   */
  public void startHandling(Instant now, Duration maxHandlingTime, Instant latest) {
    Instant deadline = now.plus(maxHandlingTime);
    this.handlingDeadline = deadline.isAfter(latest) ? latest : deadline;
  }

  /**
   * After this the handler is cancelled and the visibility no longer extended. Before the handler
   * starts, the latest time SQS lets the worker keep the message.
   */
  public Instant handlingDeadline() {
    return handlingDeadline;
  }

  /** SQS's approximate receive count, 1 if absent. */
  public int receiveCount() {
    return intAttribute(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT, 1);
  }

  /** A system attribute, or null. */
  public String systemAttribute(MessageSystemAttributeName name) {
    // The string-keyed map as received: attributes() builds a new enum-keyed copy on every call.
    Map<String, String> attrs = message.attributesAsStrings();
    return attrs == null ? null : attrs.get(name.toString());
  }

  private int intAttribute(MessageSystemAttributeName name, int fallback) {
    String value = systemAttribute(name);
    if (value == null) {
      return fallback;
    }
    try {
      return Integer.parseInt(value);
    } catch (NumberFormatException e) {
      return fallback;
    }
  }

  /** The decoded payload, once prepared. */
  public Object payload() {
    return payload;
  }

  /** Why the body could not be decoded, or null. */
  public RuntimeException decodeFailure() {
    return decodeFailure;
  }

  /** Records the decoded payload (admit stage). */
  public void decoded(Object payload) {
    this.payload = payload;
  }

  /**
   * Records the body the payload was decoded from when it is not the message's own (a large payload
   * read from S3), so idempotency hashes what the producer sent, not the pointer.
   */
  public void resolvedBody(String body) {
    this.resolvedBody = body;
  }

  /** The body the payload was decoded from: the large payload's, else the message's. */
  public String body() {
    String resolved = resolvedBody;
    return resolved != null ? resolved : message.body();
  }

  /** Records why the body could not be decoded (admit stage). */
  public void undecodable(RuntimeException failure) {
    this.decodeFailure = failure;
  }

  /** Why no usable idempotency key could be found for it, or null. */
  public RuntimeException keyFailure() {
    return keyFailure;
  }

  /** Records why its idempotency key is unusable (admit stage). */
  public void badKey(RuntimeException failure) {
    this.keyFailure = failure;
  }

  /** The SQS receipt handle of this delivery: two deliveries of one message differ here. */
  public String receiptHandle() {
    return message.receiptHandle();
  }

  /** The message's idempotency key, when idempotency is configured. */
  public String idempotencyKey() {
    return idempotencyKey;
  }

  /** Records the resolved idempotency key (admit stage). */
  public void idempotencyKey(String key) {
    this.idempotencyKey = key;
  }

  /** What claiming the key found, or null (no idempotency, or not claimed). */
  public ClaimResult claim() {
    return claim;
  }

  /** Records what claiming the key found (admit stage). */
  public void claim(ClaimResult claim) {
    this.claim = claim;
  }

  /** The won claim, or null. */
  public Claim wonClaim() {
    ClaimResult result = claim;
    return result == null ? null : result.claim();
  }

  /** Whether a visibility extension of it is under way. */
  public boolean extending() {
    return extending;
  }

  /** Marks a visibility extension as under way or done. */
  public void extending(boolean extending) {
    this.extending = extending;
  }

  /** Records a successful extension: SQS keeps it invisible until then. */
  public void extended(Instant visibleUntil) {
    this.visibleUntil = visibleUntil;
  }

  /** Marks the current thread as the one running the handler, so cancellation can interrupt it. */
  public synchronized void attach(Thread thread) {
    this.handlerThread = thread;
    this.started = true;
    if (cancelled) {
      thread.interrupt();
    }
  }

  /**
   * Marks that the worker set this delivery's visibility itself (a retry backoff, a park, a put
   * back): from now on the heartbeat must not extend it, or it would override that.
   */
  public void handOff() {
    this.handedOff = true;
  }

  /** Whether the worker set the visibility itself and the heartbeat must leave it alone. */
  public boolean handedOff() {
    return handedOff;
  }

  /** Whether the handler was started on this delivery. */
  public boolean started() {
    return started;
  }

  /** The handler returned; a later cancellation must not interrupt this thread. */
  public synchronized void detach() {
    this.handlerThread = null;
  }

  /**
   * Cancels the handling: sets the flag the handler can check and interrupts its thread.
   *
   * @return whether this call cancelled it (false if it already was)
   */
  public synchronized boolean cancel(Throwable reason) {
    if (cancelled) {
      return false;
    }
    cancelled = true;
    cancelReason = reason;
    if (handlerThread != null) {
      handlerThread.interrupt();
    }
    return true;
  }

  /** Whether the handling was cancelled. */
  public synchronized boolean cancelled() {
    return cancelled;
  }

  /** Why the handling was cancelled, or null. */
  public synchronized Throwable cancelReason() {
    return cancelReason;
  }
}
