package dev.sqsworker.storage;

import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Objects;

/**
 * How an {@link ArtifactUploader} sends: when to switch to multipart, how big the parts are, how
 * often and how patiently to retry. Immutable; build with {@link #builder()}.
 */
public final class UploaderConfig {

  /** One MiB. */
  public static final long MIB = 1024L * 1024L;

  /** Content larger than this goes as a multipart upload: 64 MiB. */
  public static final long DEFAULT_MULTIPART_THRESHOLD = 64 * MIB;

  /** The size of each part but the last: 16 MiB. */
  public static final long DEFAULT_PART_SIZE = 16 * MIB;

  /** S3's smallest part (all but the last): 5 MiB. */
  public static final long MIN_PART_SIZE = 5 * MIB;

  /** S3's largest part: 5 GiB. */
  public static final long MAX_PART_SIZE = 5 * 1024 * MIB;

  /** Attempts per request, the first included: 4. */
  public static final int DEFAULT_MAX_ATTEMPTS = 4;

  /** The wait before the second attempt, doubled before each later one: 200 ms. */
  public static final Duration DEFAULT_INITIAL_BACKOFF = Duration.ofMillis(200);

  /** The longest wait between attempts: 5 s. */
  public static final Duration DEFAULT_MAX_BACKOFF = Duration.ofSeconds(5);

  /** How long one request may take, body included: 5 minutes. */
  public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofMinutes(5);

  /** Waits between attempts; tests give one that does not really wait. */
  @FunctionalInterface
  public interface Sleeper {
    /** Waits this long, or less if interrupted. */
    void sleep(Duration duration) throws InterruptedException;
  }

  private final long multipartThreshold;
  private final long partSize;
  private final int maxAttempts;
  private final Duration initialBackoff;
  private final Duration maxBackoff;
  private final Duration requestTimeout;
  private final Duration urlExpiry;
  private final HttpClient httpClient;
  private final Sleeper sleeper;

  private UploaderConfig(Builder b) {
    this.multipartThreshold = b.multipartThreshold;
    this.partSize = b.partSize;
    this.maxAttempts = b.maxAttempts;
    this.initialBackoff = b.initialBackoff;
    this.maxBackoff = b.maxBackoff;
    this.requestTimeout = b.requestTimeout;
    this.urlExpiry = b.urlExpiry;
    this.httpClient = b.httpClient;
    this.sleeper = b.sleeper;
  }

  /** The defaults. */
  public static UploaderConfig defaults() {
    return builder().build();
  }

  /** Starts a configuration with the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** Content larger than this many bytes goes as a multipart upload. */
  public long multipartThreshold() {
    return multipartThreshold;
  }

  /** The size of each part but the last. */
  public long partSize() {
    return partSize;
  }

  /** Attempts per request, the first included. */
  public int maxAttempts() {
    return maxAttempts;
  }

  /** The wait before the second attempt. */
  public Duration initialBackoff() {
    return initialBackoff;
  }

  /** The longest wait between attempts. */
  public Duration maxBackoff() {
    return maxBackoff;
  }

  /** How long one request may take. */
  public Duration requestTimeout() {
    return requestTimeout;
  }

  /** The life of each pre-signed URL asked for; null for the signer's default. */
  public Duration urlExpiry() {
    return urlExpiry;
  }

  /** The HTTP client; null to let the uploader make its own. */
  public HttpClient httpClient() {
    return httpClient;
  }

  /** What waits between attempts. */
  public Sleeper sleeper() {
    return sleeper;
  }

  /**
   * The wait before attempt {@code attempt} (2 for the first retry): the initial backoff doubled
   * for each earlier retry, capped at the maximum.
   */
  public Duration backoffBefore(int attempt) {
    if (attempt < 2) {
      return Duration.ZERO;
    }
    int doublings = Math.min(attempt - 2, 30);
    Duration delay = initialBackoff.multipliedBy(1L << doublings);
    return delay.compareTo(maxBackoff) > 0 ? maxBackoff : delay;
  }

  /** Builds an {@link UploaderConfig}; each setter rejects a bad value naming it. */
  public static final class Builder {
    private long multipartThreshold = DEFAULT_MULTIPART_THRESHOLD;
    private long partSize = DEFAULT_PART_SIZE;
    private int maxAttempts = DEFAULT_MAX_ATTEMPTS;
    private Duration initialBackoff = DEFAULT_INITIAL_BACKOFF;
    private Duration maxBackoff = DEFAULT_MAX_BACKOFF;
    private Duration requestTimeout = DEFAULT_REQUEST_TIMEOUT;
    private Duration urlExpiry;
    private HttpClient httpClient;
    private Sleeper sleeper = duration -> Thread.sleep(duration.toMillis());

    private Builder() {}

    /**
     * Content larger than this goes as a multipart upload; default {@link
     * #DEFAULT_MULTIPART_THRESHOLD}.
     *
     * @throws IllegalArgumentException if not positive
     */
    public Builder multipartThreshold(long bytes) {
      if (bytes < 1) {
        throw new IllegalArgumentException("multipartThreshold must be positive, was " + bytes);
      }
      this.multipartThreshold = bytes;
      return this;
    }

    /**
     * The size of each part but the last; default {@link #DEFAULT_PART_SIZE}.
     *
     * @throws IllegalArgumentException unless between {@link #MIN_PART_SIZE} and {@link
     *     #MAX_PART_SIZE}, S3's limits
     */
    public Builder partSize(long bytes) {
      if (bytes < MIN_PART_SIZE || bytes > MAX_PART_SIZE) {
        throw new IllegalArgumentException(
            "partSize must be between "
                + MIN_PART_SIZE
                + " and "
                + MAX_PART_SIZE
                + " bytes, was "
                + bytes);
      }
      this.partSize = bytes;
      return this;
    }

    /**
     * Attempts per request, the first included; default {@link #DEFAULT_MAX_ATTEMPTS}.
     *
     * @throws IllegalArgumentException unless between 1 and 20
     */
    public Builder maxAttempts(int attempts) {
      if (attempts < 1 || attempts > 20) {
        throw new IllegalArgumentException("maxAttempts must be between 1 and 20, was " + attempts);
      }
      this.maxAttempts = attempts;
      return this;
    }

    /**
     * The wait before the first retry and the cap on every wait.
     *
     * @throws IllegalArgumentException if either is negative or the initial exceeds the maximum
     */
    public Builder backoff(Duration initial, Duration max) {
      Objects.requireNonNull(initial, "initialBackoff");
      Objects.requireNonNull(max, "maxBackoff");
      if (initial.isNegative() || max.isNegative() || initial.compareTo(max) > 0) {
        throw new IllegalArgumentException(
            "backoff must be 0 <= initialBackoff <= maxBackoff, was " + initial + " and " + max);
      }
      this.initialBackoff = initial;
      this.maxBackoff = max;
      return this;
    }

    /**
     * How long one request may take; default {@link #DEFAULT_REQUEST_TIMEOUT}.
     *
     * @throws IllegalArgumentException if not positive
     */
    public Builder requestTimeout(Duration timeout) {
      Objects.requireNonNull(timeout, "requestTimeout");
      if (timeout.isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException("requestTimeout must be positive, was " + timeout);
      }
      this.requestTimeout = timeout;
      return this;
    }

    /** The life of each pre-signed URL asked for; null (default) for the signer's default. */
    public Builder urlExpiry(Duration expiry) {
      this.urlExpiry = expiry;
      return this;
    }

    /** The HTTP client to send with; default a new HTTP/1.1 client per uploader. */
    public Builder httpClient(HttpClient client) {
      this.httpClient = client;
      return this;
    }

    /** What waits between attempts; default {@link Thread#sleep(long)}. */
    public Builder sleeper(Sleeper sleeper) {
      this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
      return this;
    }

    /** The configuration. */
    public UploaderConfig build() {
      return new UploaderConfig(this);
    }
  }
}
