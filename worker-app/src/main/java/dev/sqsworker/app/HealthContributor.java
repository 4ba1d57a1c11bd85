package dev.sqsworker.app;

/**
 * One named part of the application's readiness ({@code /health/ready}): a worker, the database
 * pool, a circuit breaker. The application is ready only when every contributor is healthy.
 *
 * <p>{@link #check()} runs on a health-check thread with a time limit; a check that throws or does
 * not answer in time counts as unhealthy. Keep it cheap: it runs on every readiness request.
 */
@FunctionalInterface
public interface HealthContributor {

  /** Checks the part now. */
  HealthCheck check();

  /**
   * The global rate limits of {@code downstreams}: which run on the shared bucket and which fell
   * back to this task's share because the database is unreachable. A fallback keeps the task ready
   * (it still works, within its share) and names the downstreams and the reason.
   */
  static HealthContributor globalRateLimits(dev.sqsworker.core.resilience.Downstreams downstreams) {
    java.util.Objects.requireNonNull(downstreams, "downstreams");
    return () -> {
      java.util.Map<String, String> fallbacks = downstreams.globalRateLimitFallbacks();
      if (fallbacks.isEmpty()) {
        return HealthCheck.up("global rate limits shared");
      }
      java.util.StringJoiner detail =
          new java.util.StringJoiner("; ", "global rate limits on this task's share: ", "");
      fallbacks.forEach((name, reason) -> detail.add(name + " (" + reason + ")"));
      return HealthCheck.up(detail.toString());
    };
  }
}
