package dev.sqsworker.dlq;

import java.io.OutputStream;
import java.nio.file.Path;
import java.util.Objects;

/**
 * What to export from a queue as JSON Lines, one message per line in the form of {@link
 * DeadLetterJson}: to a file ({@link #builder(String, Path)}) or to a stream such as standard
 * output ({@link #builder(String, OutputStream)}).
 */
public final class ExportRequest {

  private final String queue;
  private final Path file;
  private final OutputStream stream;
  private final boolean replaceExisting;
  private final MessageFilter filter;
  private final long limit;
  private final boolean delete;
  private final ProgressListener listener;

  private ExportRequest(Builder builder) {
    this.queue = builder.queue;
    this.file = builder.file;
    this.stream = builder.stream;
    this.replaceExisting = builder.replaceExisting;
    this.filter = builder.filter;
    this.limit = builder.limit;
    this.delete = builder.delete;
    this.listener = builder.listener;
  }

  /**
   * Starts a request to export the queue (name, URL or ARN) to a file. The file must not exist yet
   * unless {@link Builder#replaceExisting(boolean)} allows replacing it.
   */
  public static Builder builder(String queue, Path file) {
    return new Builder(queue, Objects.requireNonNull(file, "file"), null);
  }

  /**
   * Starts a request to export the queue (name, URL or ARN) to a stream, which stays the caller's
   * (flushed after each batch, never closed). A stream cannot promise that a line is stored, so
   * such an export cannot {@linkplain Builder#delete(boolean) delete}.
   */
  public static Builder builder(String queue, OutputStream stream) {
    return new Builder(queue, null, Objects.requireNonNull(stream, "stream"));
  }

  /** The queue to read. */
  public String queue() {
    return queue;
  }

  /** The file to write, or {@code null} when writing to a {@linkplain #stream() stream}. */
  public Path file() {
    return file;
  }

  /** The stream to write, or {@code null} when writing to a {@linkplain #file() file}. */
  public OutputStream stream() {
    return stream;
  }

  /** Whether an existing file is replaced (default: false, the export refuses to start). */
  public boolean replaceExisting() {
    return replaceExisting;
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
    private final OutputStream stream;
    private boolean replaceExisting;
    private MessageFilter filter = MessageFilter.all();
    private long limit = ReplayRequest.UNLIMITED;
    private boolean delete;
    private ProgressListener listener = ProgressListener.none();

    private Builder(String queue, Path file, OutputStream stream) {
      this.queue = Objects.requireNonNull(queue, "queue");
      this.file = file;
      this.stream = stream;
    }

    /** Replaces the file if it exists (default: false, the export fails before reading). */
    public Builder replaceExisting(boolean replaceExisting) {
      this.replaceExisting = replaceExisting;
      return this;
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

    /**
     * The request.
     *
     * @throws IllegalArgumentException for delete with a stream
     */
    public ExportRequest build() {
      if (delete && stream != null) {
        throw new IllegalArgumentException(
            "delete needs a file: a message is deleted only after its line is on disk, which a"
                + " stream cannot promise");
      }
      return new ExportRequest(this);
    }
  }
}
