package dev.sqsworker.dlq;

import java.nio.file.Path;
import java.util.Objects;

/**
 * What to export from a queue to a JSON Lines file, one message per line. Build with {@link
 * #builder(String, Path)}.
 */
public final class ExportRequest {

  private final String queue;
  private final Path file;
  private final MessageFilter filter;
  private final long limit;
  private final boolean delete;
  private final ProgressListener listener;

  private ExportRequest(Builder builder) {
    this.queue = builder.queue;
    this.file = builder.file;
    this.filter = builder.filter;
    this.limit = builder.limit;
    this.delete = builder.delete;
    this.listener = builder.listener;
  }

  /** Starts a request to export the queue (name, URL or ARN) to the file (created or replaced). */
  public static Builder builder(String queue, Path file) {
    return new Builder(queue, file);
  }

  /** The queue to read. */
  public String queue() {
    return queue;
  }

  /** The file to write. */
  public Path file() {
    return file;
  }

  /** Which messages to export. */
  public MessageFilter filter() {
    return filter;
  }

  /** The most messages to export. */
  public long limit() {
    return limit;
  }

  /** Whether to delete each message once its line is written and forced to disk. */
  public boolean delete() {
    return delete;
  }

  /** Told the counts after each batch. */
  public ProgressListener listener() {
    return listener;
  }

  /** Builds an {@link ExportRequest}. */
  public static final class Builder {
    private final String queue;
    private final Path file;
    private MessageFilter filter = MessageFilter.all();
    private long limit = ReplayRequest.UNLIMITED;
    private boolean delete;
    private ProgressListener listener = ProgressListener.none();

    private Builder(String queue, Path file) {
      this.queue = Objects.requireNonNull(queue, "queue");
      this.file = Objects.requireNonNull(file, "file");
    }

    /** Exports only what the filter takes (default: all). */
    public Builder filter(MessageFilter filter) {
      this.filter = Objects.requireNonNull(filter, "filter");
      return this;
    }

    /** Exports at most this many messages (default: unlimited). */
    public Builder limit(long limit) {
      if (limit < 1) {
        throw new IllegalArgumentException("limit must be at least 1, was " + limit);
      }
      this.limit = limit;
      return this;
    }

    /** Deletes exported messages once their lines are on disk (default: false, keep them). */
    public Builder delete(boolean delete) {
      this.delete = delete;
      return this;
    }

    /** Told the counts after each batch (default: nobody). */
    public Builder listener(ProgressListener listener) {
      this.listener = Objects.requireNonNull(listener, "listener");
      return this;
    }

    /** The request. */
    public ExportRequest build() {
      return new ExportRequest(this);
    }
  }
}
