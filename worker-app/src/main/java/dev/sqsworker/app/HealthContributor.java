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
}
