package dev.sqsworker.dlq;

import java.util.Objects;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/**
 * What to replay from a dead-letter queue, and how. Build with {@link #builder(String)}:
 *
 * <pre>{@code
 * ReplayRequest.builder("orders-dlq")
 *     .filter(MessageFilter.parse("errorClass=com.example.TimeoutException and age<1d"))
 *     .ratePerSecond(50)
 *     .build();
 * }</pre>
 */
public final class ReplayRequest {

  /** No limit on the number of messages replayed. */
  public static final long UNLIMITED = Long.MAX_VALUE;

  private final String deadLetterQueue;
  private final String destination;
  private final MessageFilter filter;
  private final long limit;
  private final double ratePerSecond;
  private final boolean dryRun;
  private final ProgressListener listener;
  private final BooleanSupplier stopWhen;

  private ReplayRequest(Builder builder) {
    this.deadLetterQueue = builder.deadLetterQueue;
    this.destination = builder.destination;
    this.filter = builder.filter;
    this.limit = builder.limit;
    this.ratePerSecond = builder.ratePerSecond;
    this.dryRun = builder.dryRun;
    this.listener = builder.listener;
    this.stopWhen = builder.stopWhen;
  }

  /** Starts a request for the dead-letter queue with this name, URL or ARN. */
  public static Builder builder(String deadLetterQueue) {
    return new Builder(deadLetterQueue);
  }

  /** The dead-letter queue (name, URL or ARN). */
  public String deadLetterQueue() {
    return deadLetterQueue;
  }

  /** The queue every message goes to; empty to send each back to its own source queue. */
  public Optional<String> destination() {
    return Optional.ofNullable(destination);
  }

  /** Which messages to replay; the others stay in the dead-letter queue. */
  public MessageFilter filter() {
    return filter;
  }

  /** The most messages to replay, or {@link #UNLIMITED}. */
  public long limit() {
    return limit;
  }

  /** The most messages sent per second, or 0 for no limit. */
  public double ratePerSecond() {
    return ratePerSecond;
  }

  /** Whether to only count what would be replayed, moving nothing. */
  public boolean dryRun() {
    return dryRun;
  }

  /** Told the counts after each batch. */
  public ProgressListener listener() {
    return listener;
  }

  /**
   * Asked before each batch and each send: once it answers true the replay finishes what it let
   * through, releases what it holds and returns (interrupted). Unlike a thread interrupt it never
   * aborts an SQS call half-way, so nothing is left hidden.
   */
  public BooleanSupplier stopWhen() {
    return stopWhen;
  }

  /** A builder holding this request's settings. */
  public Builder toBuilder() {
    return new Builder(deadLetterQueue)
        .destination(destination)
        .filter(filter)
        .limit(limit)
        .ratePerSecond(ratePerSecond)
        .dryRun(dryRun)
        .listener(listener)
        .stopWhen(stopWhen);
  }

  /** Builds a {@link ReplayRequest}; each setter rejects bad values at once. */
  public static final class Builder {
    private final String deadLetterQueue;
    private String destination;
    private MessageFilter filter = MessageFilter.all();
    private long limit = UNLIMITED;
    private double ratePerSecond;
    private boolean dryRun;
    private ProgressListener listener = ProgressListener.none();
    private BooleanSupplier stopWhen = () -> false;

    private Builder(String deadLetterQueue) {
      Objects.requireNonNull(deadLetterQueue, "deadLetterQueue");
      if (deadLetterQueue.isBlank()) {
        throw new IllegalArgumentException("deadLetterQueue must not be blank");
      }
      this.deadLetterQueue = deadLetterQueue;
    }

    /** Sends every message to this queue (name, URL or ARN); {@code null} for each one's source. */
    public Builder destination(String destination) {
      this.destination = destination;
      return this;
    }

    /** Replays only the messages the filter takes (default: all). */
    public Builder filter(MessageFilter filter) {
      this.filter = Objects.requireNonNull(filter, "filter");
      return this;
    }

    /** Replays at most this many messages (default: {@link #UNLIMITED}). */
    public Builder limit(long limit) {
      if (limit < 1) {
        throw new IllegalArgumentException("limit must be at least 1, was " + limit);
      }
      this.limit = limit;
      return this;
    }

    /** Sends at most this many messages per second; 0 (the default) for no limit. */
    public Builder ratePerSecond(double ratePerSecond) {
      if (!(ratePerSecond >= 0) || Double.isInfinite(ratePerSecond)) {
        throw new IllegalArgumentException(
            "ratePerSecond must be a finite number of at least 0, was " + ratePerSecond);
      }
      this.ratePerSecond = ratePerSecond;
      return this;
    }

    /** Only counts what would be replayed (default: false). */
    public Builder dryRun(boolean dryRun) {
      this.dryRun = dryRun;
      return this;
    }

    /** Told the counts after each batch (default: nobody). */
    public Builder listener(ProgressListener listener) {
      this.listener = Objects.requireNonNull(listener, "listener");
      return this;
    }

    /** A stop request checked between batches and sends (default: never), e.g. from Ctrl-C. */
    public Builder stopWhen(BooleanSupplier stopWhen) {
      this.stopWhen = Objects.requireNonNull(stopWhen, "stopWhen");
      return this;
    }

    /** The request. */
    public ReplayRequest build() {
      return new ReplayRequest(this);
    }
  }
}
