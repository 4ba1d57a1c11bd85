package dev.sqsworker.core.resilience;

import static dev.sqsworker.core.internal.support.OptionChecks.requireBetween;
import static dev.sqsworker.core.internal.support.OptionChecks.requireRange;

import dev.sqsworker.core.ConfigurationException;
import dev.sqsworker.core.Durations;
import dev.sqsworker.core.internal.support.OptionChecks;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * The immutable configuration of one {@link Downstream}: its time limit, bulkhead, rate limiter,
 * circuit breaker and retries. Build it with {@link #builder()}, or read {@code
 * SQSWORKER_DOWNSTREAM_<NAME>_*} environment variables with {@link Builder#environment(String,
 * Map)}; every option has both. Setters reject bad values with a message naming the option.
 */
public final class DownstreamConfig {

  /** Prefix of every downstream environment variable. */
  public static final String ENV_PREFIX = "SQSWORKER_DOWNSTREAM_";

  /** Default time limit of one call: 10 s. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

  /**
   * Default concurrent calls: {@value}, meaning unlimited (bounded by the worker's concurrency).
   */
  public static final int DEFAULT_MAX_CONCURRENT = 0;

  /** Default longest wait for a bulkhead slot or a rate-limiter permit: 5 s. */
  public static final Duration DEFAULT_MAX_WAIT = Duration.ofSeconds(5);

  /** Default calls per rate period: {@value}, meaning no rate limit. */
  public static final int DEFAULT_RATE_LIMIT = 0;

  /** Default rate period: 1 s. */
  public static final Duration DEFAULT_RATE_PERIOD = Duration.ofSeconds(1);

  /** Default calls per global rate period: {@value}, meaning no global (cross-task) limit. */
  public static final int DEFAULT_GLOBAL_RATE_LIMIT = 0;

  /** Default global rate period: 1 s. */
  public static final Duration DEFAULT_GLOBAL_RATE_PERIOD = Duration.ofSeconds(1);

  /**
   * Default share of the global limit one task may use while the database is unreachable: {@value}
   * (safe for up to 10 tasks).
   */
  public static final double DEFAULT_GLOBAL_RATE_FALLBACK = 0.1;

  /** Default failure rate, in percent, at which the breaker opens: {@value}. */
  public static final int DEFAULT_BREAKER_FAILURE_RATE = 50;

  /** Default size of the breaker's sliding window, in calls: {@value}. */
  public static final int DEFAULT_BREAKER_WINDOW = 20;

  /** Default fewest calls in the window before the failure rate counts: {@value}. */
  public static final int DEFAULT_BREAKER_MIN_CALLS = 10;

  /** Default time the breaker stays open before trial calls: 30 s. */
  public static final Duration DEFAULT_BREAKER_OPEN_FOR = Duration.ofSeconds(30);

  /** Default trial calls let through while the breaker is half-open: {@value}. */
  public static final int DEFAULT_BREAKER_HALF_OPEN_CALLS = 3;

  /** Default attempts of one call within the handler, the first included: {@value}. */
  public static final int DEFAULT_RETRY_ATTEMPTS = 3;

  /** Default base of the in-handler retry backoff: 100 ms. */
  public static final Duration DEFAULT_RETRY_BASE = Duration.ofMillis(100);

  /** Default cap of the in-handler retry backoff: 2 s. */
  public static final Duration DEFAULT_RETRY_CAP = Duration.ofSeconds(2);

  /** Default longest {@code Retry-After} waited within the handler: 2 s. */
  public static final Duration DEFAULT_RETRY_AFTER_MAX = Duration.ofSeconds(2);

  /** Default: the concurrency limit is fixed at {@link #maxConcurrent()}. */
  public static final boolean DEFAULT_ADAPTIVE_CONCURRENCY = false;

  /** Default latency above which an adaptive limit takes a call as a sign of overload: 1 s. */
  public static final Duration DEFAULT_ADAPTIVE_LATENCY = Duration.ofSeconds(1);

  /**
   * The option suffixes read from the environment, e.g. {@code TIMEOUT} in {@code
   * SQSWORKER_DOWNSTREAM_PAYMENTS_TIMEOUT}.
   */
  public static final List<String> ENVIRONMENT_OPTIONS =
      java.util.Arrays.stream(Option.values()).map(Enum::name).toList();

  private final Builder values;

  private DownstreamConfig(Builder builder) {
    this.values = builder.copy();
  }

  /** A builder with every option at its default. */
  public static Builder builder() {
    return new Builder();
  }

  /** The configuration with every option at its default. */
  public static DownstreamConfig defaults() {
    return new Builder().build();
  }

  /** A builder holding this configuration's values, to derive a changed copy. */
  public Builder toBuilder() {
    return values.copy();
  }

  /**
   * The environment variable of an option for a downstream: {@code SQSWORKER_DOWNSTREAM_}, the name
   * upper-cased with every character other than a letter or digit turned into {@code _}, then
   * {@code _} and the option, e.g. {@code SQSWORKER_DOWNSTREAM_PAYMENTS_API_TIMEOUT}.
   */
  public static String environmentVariable(String downstream, String option) {
    return ENV_PREFIX + environmentName(downstream) + "_" + option;
  }

  /** A downstream's name as it appears in environment variables. */
  public static String environmentName(String downstream) {
    return downstream.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_");
  }

  /** The time limit of one call (one retry attempt). */
  public Duration timeout() {
    return values.timeout;
  }

  /** The most calls at once; 0 for no bulkhead. */
  public int maxConcurrent() {
    return values.maxConcurrent;
  }

  /** How long a call waits for a bulkhead slot or a rate-limiter permit before it is refused. */
  public Duration maxWait() {
    return values.maxWait;
  }

  /** Calls allowed per {@link #ratePeriod()}; 0 for no rate limit. */
  public int rateLimit() {
    return values.rateLimit;
  }

  /** The period the rate limit refills its permits in. */
  public Duration ratePeriod() {
    return values.ratePeriod;
  }

  /**
   * Calls allowed per {@link #globalRatePeriod()} to this downstream by all tasks together (every
   * process whose {@link Downstreams} use the same database); 0 for no global limit. No window of
   * that period sees more calls; the steady rate is a little lower (see docs/resilience.md).
   */
  public int globalRateLimit() {
    return values.globalRateLimit;
  }

  /** The period of {@link #globalRateLimit()}. */
  public Duration globalRatePeriod() {
    return values.globalRatePeriod;
  }

  /**
   * The share of {@link #globalRateLimit()} this task may use on its own while the database that
   * holds the shared bucket is unreachable, e.g. {@code 0.25} for at most four tasks.
   */
  public double globalRateFallback() {
    return values.globalRateFallback;
  }

  /** The failure rate, in percent of the window's calls, at which the breaker opens. */
  public int breakerFailureRate() {
    return values.breakerFailureRate;
  }

  /** How many of the latest calls the breaker's failure rate is computed over. */
  public int breakerWindow() {
    return values.breakerWindow;
  }

  /** The fewest calls in the window before the breaker may open. */
  public int breakerMinCalls() {
    return values.breakerMinCalls;
  }

  /** How long the breaker stays open before it lets trial calls through. */
  public Duration breakerOpenFor() {
    return values.breakerOpenFor;
  }

  /** How many trial calls the half-open breaker lets through. */
  public int breakerHalfOpenCalls() {
    return values.breakerHalfOpenCalls;
  }

  /** Attempts of one call within the handler, the first included; 1 for no retries. */
  public int retryAttempts() {
    return values.retryAttempts;
  }

  /** Base of the in-handler retry backoff (exponential, full jitter). */
  public Duration retryBase() {
    return values.retryBase;
  }

  /** Cap of the in-handler retry backoff. */
  public Duration retryCap() {
    return values.retryCap;
  }

  /**
   * The longest {@code Retry-After} waited within the handler; a longer one ends the call and the
   * message waits that long in the queue.
   */
  public Duration retryAfterMax() {
    return values.retryAfterMax;
  }

  /**
   * Whether the concurrency limit adapts to the downstream (additive increase, multiplicative
   * decrease): it shrinks by 10 % after a call that failed, timed out or took longer than {@link
   * #adaptiveLatency()}, and grows by one after a fast call while at least half of it is in use,
   * between 1 and {@link #maxConcurrent()}.
   */
  public boolean adaptiveConcurrency() {
    return values.adaptiveConcurrency;
  }

  /** The latency above which an adaptive limit takes a call as a sign of overload. */
  public Duration adaptiveLatency() {
    return values.adaptiveLatency;
  }

  @Override
  public String toString() {
    return "DownstreamConfig{timeout="
        + Durations.format(timeout())
        + ", maxConcurrent="
        + maxConcurrent()
        + (adaptiveConcurrency() ? " (adaptive)" : "")
        + ", rate="
        + rateLimit()
        + "/"
        + Durations.format(ratePeriod())
        + (globalRateLimit() > 0
            ? ", globalRate="
                + globalRateLimit()
                + "/"
                + Durations.format(globalRatePeriod())
                + " (fallback "
                + globalRateFallback()
                + ")"
            : "")
        + ", breaker="
        + breakerFailureRate()
        + "% of "
        + breakerWindow()
        + " (min "
        + breakerMinCalls()
        + "), open "
        + Durations.format(breakerOpenFor())
        + ", half-open "
        + breakerHalfOpenCalls()
        + ", retry="
        + retryAttempts()
        + "x "
        + Durations.format(retryBase())
        + ".."
        + Durations.format(retryCap())
        + "}";
  }

  /** Builds a {@link DownstreamConfig}. Not thread-safe. */
  public static final class Builder {
    // Read at build(); not copied: a built configuration holds the values they gave.
    private String environmentName;
    private Map<String, String> environment = Map.of();
    private Duration timeout = DEFAULT_TIMEOUT;
    private int maxConcurrent = DEFAULT_MAX_CONCURRENT;
    private Duration maxWait = DEFAULT_MAX_WAIT;
    private int rateLimit = DEFAULT_RATE_LIMIT;
    private Duration ratePeriod = DEFAULT_RATE_PERIOD;
    private int globalRateLimit = DEFAULT_GLOBAL_RATE_LIMIT;
    private Duration globalRatePeriod = DEFAULT_GLOBAL_RATE_PERIOD;
    private double globalRateFallback = DEFAULT_GLOBAL_RATE_FALLBACK;
    private int breakerFailureRate = DEFAULT_BREAKER_FAILURE_RATE;
    private int breakerWindow = DEFAULT_BREAKER_WINDOW;
    private int breakerMinCalls = DEFAULT_BREAKER_MIN_CALLS;
    private Duration breakerOpenFor = DEFAULT_BREAKER_OPEN_FOR;
    private int breakerHalfOpenCalls = DEFAULT_BREAKER_HALF_OPEN_CALLS;
    private int retryAttempts = DEFAULT_RETRY_ATTEMPTS;
    private Duration retryBase = DEFAULT_RETRY_BASE;
    private Duration retryCap = DEFAULT_RETRY_CAP;
    private Duration retryAfterMax = DEFAULT_RETRY_AFTER_MAX;
    private boolean adaptiveConcurrency = DEFAULT_ADAPTIVE_CONCURRENCY;
    private Duration adaptiveLatency = DEFAULT_ADAPTIVE_LATENCY;

    private Builder() {}

    /** Time limit of one call ({@code _TIMEOUT}); 1 ms to 1 h, default 10 s. */
    public Builder timeout(Duration timeout) {
      this.timeout = requireBetween("timeout", timeout, Duration.ofMillis(1), Duration.ofHours(1));
      return this;
    }

    /** Most calls at once ({@code _MAX_CONCURRENT}); 0 (unlimited) to 10000, default 0. */
    public Builder maxConcurrent(int maxConcurrent) {
      this.maxConcurrent = requireRange("maxConcurrent", maxConcurrent, 0, 10_000);
      return this;
    }

    /** Longest wait for a bulkhead slot or rate permit ({@code _MAX_WAIT}); 0 to 5 min. */
    public Builder maxWait(Duration maxWait) {
      this.maxWait = requireBetween("maxWait", maxWait, Duration.ZERO, Duration.ofMinutes(5));
      return this;
    }

    /** Calls per rate period ({@code _RATE_LIMIT}); 0 (no limit) to 1000000, default 0. */
    public Builder rateLimit(int rateLimit) {
      this.rateLimit = requireRange("rateLimit", rateLimit, 0, 1_000_000);
      return this;
    }

    /** The rate period ({@code _RATE_PERIOD}); 1 ms to 1 h, default 1 s. */
    public Builder ratePeriod(Duration ratePeriod) {
      this.ratePeriod =
          requireBetween("ratePeriod", ratePeriod, Duration.ofMillis(1), Duration.ofHours(1));
      return this;
    }

    /** Calls per period in one go: {@code rateLimit(calls).ratePeriod(period)}. */
    public Builder rate(int calls, Duration period) {
      return rateLimit(calls).ratePeriod(period);
    }

    /**
     * Calls per period for all tasks together ({@code _GLOBAL_RATE_LIMIT}); 0 (no global limit) or
     * 2 to 1000000, default 0. Needs a database: {@link Downstreams.Builder#globalRateStore}.
     */
    public Builder globalRateLimit(int permits) {
      if (permits == 1) {
        throw new IllegalArgumentException(
            "globalRateLimit must be 0 (off) or between 2 and 1000000, was 1 (write 2 per 2 s)");
      }
      this.globalRateLimit = requireRange("globalRateLimit", permits, 0, 1_000_000);
      return this;
    }

    /** The global rate period ({@code _GLOBAL_RATE_PERIOD}); 100 ms to 1 h, default 1 s. */
    public Builder globalRatePeriod(Duration period) {
      this.globalRatePeriod =
          requireBetween("globalRatePeriod", period, Duration.ofMillis(100), Duration.ofHours(1));
      return this;
    }

    /**
     * Calls per period for all tasks together, in one go: {@code
     * globalRateLimit(permits).globalRatePeriod(period)}.
     */
    public Builder globalRateLimit(int permits, Duration period) {
      return globalRateLimit(permits).globalRatePeriod(period);
    }

    /**
     * The share of the global limit this task uses while the database is unreachable ({@code
     * _GLOBAL_RATE_FALLBACK}); above 0 and at most 1, default 0.1. Set it to 1 / the most tasks
     * that run at once, so that together they stay within the limit.
     */
    public Builder globalRateFallback(double share) {
      if (!(share > 0 && share <= 1)) {
        throw new IllegalArgumentException(
            "globalRateFallback must be above 0 and at most 1, was " + share);
      }
      this.globalRateFallback = share;
      return this;
    }

    /** Failure rate that opens the breaker ({@code _BREAKER_FAILURE_RATE}); 1 to 100 %. */
    public Builder breakerFailureRate(int percent) {
      this.breakerFailureRate = requireRange("breakerFailureRate", percent, 1, 100);
      return this;
    }

    /** Calls in the breaker's sliding window ({@code _BREAKER_WINDOW}); 1 to 10000, default 20. */
    public Builder breakerWindow(int calls) {
      this.breakerWindow = requireRange("breakerWindow", calls, 1, 10_000);
      return this;
    }

    /** Fewest calls before the breaker may open ({@code _BREAKER_MIN_CALLS}); default 10. */
    public Builder breakerMinCalls(int calls) {
      this.breakerMinCalls = requireRange("breakerMinCalls", calls, 1, 10_000);
      return this;
    }

    /** Time the breaker stays open ({@code _BREAKER_OPEN_FOR}); 100 ms to 12 h, default 30 s. */
    public Builder breakerOpenFor(Duration openFor) {
      this.breakerOpenFor =
          requireBetween("breakerOpenFor", openFor, Duration.ofMillis(100), Duration.ofHours(12));
      return this;
    }

    /** Trial calls when half-open ({@code _BREAKER_HALF_OPEN_CALLS}); 1 to 1000, default 3. */
    public Builder breakerHalfOpenCalls(int calls) {
      this.breakerHalfOpenCalls = requireRange("breakerHalfOpenCalls", calls, 1, 1000);
      return this;
    }

    /** Attempts per call, the first included ({@code _RETRY_ATTEMPTS}); 1 to 10, default 3. */
    public Builder retryAttempts(int attempts) {
      this.retryAttempts = requireRange("retryAttempts", attempts, 1, 10);
      return this;
    }

    /** Base of the retry backoff ({@code _RETRY_BASE}); 1 ms to 1 min, default 100 ms. */
    public Builder retryBase(Duration base) {
      this.retryBase =
          requireBetween("retryBase", base, Duration.ofMillis(1), Duration.ofMinutes(1));
      return this;
    }

    /** Cap of the retry backoff ({@code _RETRY_CAP}); 1 ms to 1 min, default 2 s. */
    public Builder retryCap(Duration cap) {
      this.retryCap = requireBetween("retryCap", cap, Duration.ofMillis(1), Duration.ofMinutes(1));
      return this;
    }

    /** Longest Retry-After waited in the handler ({@code _RETRY_AFTER_MAX}); 0 to 1 min. */
    public Builder retryAfterMax(Duration max) {
      this.retryAfterMax =
          requireBetween("retryAfterMax", max, Duration.ZERO, Duration.ofMinutes(1));
      return this;
    }

    /**
     * Lets the concurrency limit adapt between 1 and {@link #maxConcurrent(int)} ({@code
     * _ADAPTIVE_CONCURRENCY}, {@code true} or {@code false}); default false.
     */
    public Builder adaptiveConcurrency(boolean adaptive) {
      this.adaptiveConcurrency = adaptive;
      return this;
    }

    /** Latency that counts as overload ({@code _ADAPTIVE_LATENCY}); 1 ms to 1 h, default 1 s. */
    public Builder adaptiveLatency(Duration latency) {
      this.adaptiveLatency =
          requireBetween("adaptiveLatency", latency, Duration.ofMillis(1), Duration.ofHours(1));
      return this;
    }

    /**
     * Reads the options of {@code downstream} from its {@code SQSWORKER_DOWNSTREAM_<NAME>_*}
     * variables in {@code env} (see {@link DownstreamConfig#environmentVariable}) when the
     * configuration is built: a variable that is present overrides the option's value in code,
     * whether that was set before or after this call; absent ones leave the option as it is. Every
     * invalid value is reported by {@link #build()}, together, as one {@link
     * ConfigurationException} naming the variable.
     */
    public Builder environment(String downstream, Map<String, String> env) {
      this.environmentName = Objects.requireNonNull(downstream, "downstream");
      this.environment = Map.copyOf(Objects.requireNonNull(env, "env"));
      return this;
    }

    private void applyEnvironment(String downstream, Map<String, String> env) {
      List<String> problems = new ArrayList<>();
      for (Option option : Option.values()) {
        String variable = environmentVariable(downstream, option.name());
        String value = env.get(variable);
        if (value == null || value.isBlank()) {
          continue;
        }
        try {
          option.setter.apply(this).accept(value.trim());
        } catch (RuntimeException e) {
          problems.add(variable + ": " + e.getMessage());
        }
      }
      if (!problems.isEmpty()) {
        throw new ConfigurationException(problems);
      }
    }

    /**
     * Checks the options together and builds the configuration.
     *
     * @throws ConfigurationException listing every problem
     */
    public DownstreamConfig build() {
      if (environmentName != null) {
        Builder effective = copy();
        effective.applyEnvironment(environmentName, environment);
        return effective.build();
      }
      List<String> problems = new ArrayList<>();
      if (breakerMinCalls > breakerWindow) {
        problems.add(
            "breakerMinCalls ("
                + breakerMinCalls
                + ") must be at most breakerWindow ("
                + breakerWindow
                + ")");
      }
      if (retryCap.compareTo(retryBase) < 0) {
        problems.add(
            "retryCap ("
                + Durations.format(retryCap)
                + ") must be at least retryBase ("
                + Durations.format(retryBase)
                + ")");
      }
      if (adaptiveConcurrency && maxConcurrent == 0) {
        problems.add("adaptiveConcurrency needs maxConcurrent, its upper limit, above 0");
      }
      if (!problems.isEmpty()) {
        throw new ConfigurationException(problems);
      }
      return new DownstreamConfig(this);
    }

    private Builder copy() {
      Builder b = new Builder();
      b.timeout = timeout;
      b.maxConcurrent = maxConcurrent;
      b.maxWait = maxWait;
      b.rateLimit = rateLimit;
      b.ratePeriod = ratePeriod;
      b.globalRateLimit = globalRateLimit;
      b.globalRatePeriod = globalRatePeriod;
      b.globalRateFallback = globalRateFallback;
      b.breakerFailureRate = breakerFailureRate;
      b.breakerWindow = breakerWindow;
      b.breakerMinCalls = breakerMinCalls;
      b.breakerOpenFor = breakerOpenFor;
      b.breakerHalfOpenCalls = breakerHalfOpenCalls;
      b.retryAttempts = retryAttempts;
      b.retryBase = retryBase;
      b.retryCap = retryCap;
      b.retryAfterMax = retryAfterMax;
      b.adaptiveConcurrency = adaptiveConcurrency;
      b.adaptiveLatency = adaptiveLatency;
      return b;
    }

    private static double parseShare(String value) {
      try {
        return Double.parseDouble(value);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("'" + value + "' is not a number like 0.25", e);
      }
    }

    private static boolean parseBoolean(String value) {
      return switch (value.toLowerCase(Locale.ROOT)) {
        case "true" -> true;
        case "false" -> false;
        default -> throw new IllegalArgumentException("'" + value + "' is not true or false");
      };
    }
  }

  /** The options read from the environment, by the suffix of their variable. */
  enum Option {
    TIMEOUT(b -> v -> b.timeout(Durations.parse(v))),
    MAX_CONCURRENT(b -> v -> b.maxConcurrent(OptionChecks.parseInt(v))),
    MAX_WAIT(b -> v -> b.maxWait(Durations.parse(v))),
    RATE_LIMIT(b -> v -> b.rateLimit(OptionChecks.parseInt(v))),
    RATE_PERIOD(b -> v -> b.ratePeriod(Durations.parse(v))),
    GLOBAL_RATE_LIMIT(b -> v -> b.globalRateLimit(OptionChecks.parseInt(v))),
    GLOBAL_RATE_PERIOD(b -> v -> b.globalRatePeriod(Durations.parse(v))),
    GLOBAL_RATE_FALLBACK(b -> v -> b.globalRateFallback(Builder.parseShare(v))),
    BREAKER_FAILURE_RATE(b -> v -> b.breakerFailureRate(OptionChecks.parseInt(v))),
    BREAKER_WINDOW(b -> v -> b.breakerWindow(OptionChecks.parseInt(v))),
    BREAKER_MIN_CALLS(b -> v -> b.breakerMinCalls(OptionChecks.parseInt(v))),
    BREAKER_OPEN_FOR(b -> v -> b.breakerOpenFor(Durations.parse(v))),
    BREAKER_HALF_OPEN_CALLS(b -> v -> b.breakerHalfOpenCalls(OptionChecks.parseInt(v))),
    RETRY_ATTEMPTS(b -> v -> b.retryAttempts(OptionChecks.parseInt(v))),
    RETRY_BASE(b -> v -> b.retryBase(Durations.parse(v))),
    RETRY_CAP(b -> v -> b.retryCap(Durations.parse(v))),
    RETRY_AFTER_MAX(b -> v -> b.retryAfterMax(Durations.parse(v))),
    ADAPTIVE_CONCURRENCY(b -> v -> b.adaptiveConcurrency(Builder.parseBoolean(v))),
    ADAPTIVE_LATENCY(b -> v -> b.adaptiveLatency(Durations.parse(v)));

    final java.util.function.Function<Builder, Consumer<String>> setter;

    Option(java.util.function.Function<Builder, Consumer<String>> setter) {
      this.setter = setter;
    }
  }
}
