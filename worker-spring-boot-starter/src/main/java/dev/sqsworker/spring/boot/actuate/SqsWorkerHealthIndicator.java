package dev.sqsworker.spring.boot.actuate;

import dev.sqsworker.core.Worker;
import dev.sqsworker.core.WorkerHealth;
import dev.sqsworker.spring.boot.SqsWorkers;
import java.util.Optional;
import org.springframework.boot.actuate.health.AbstractHealthIndicator;
import org.springframework.boot.actuate.health.Health;

/**
 * The health of one worker: UP while it runs, its pollers are alive and SQS answers ({@link
 * Worker#isHealthy()}); DOWN otherwise, and before it has started. The details are its {@link
 * WorkerHealth}.
 */
public final class SqsWorkerHealthIndicator extends AbstractHealthIndicator {

  private final SqsWorkers workers;
  private final String name;

  /**
   * @param workers the application's workers
   * @param name the worker's name
   */
  public SqsWorkerHealthIndicator(SqsWorkers workers, String name) {
    super("sqs-worker '" + name + "' health check failed");
    this.workers = workers;
    this.name = name;
  }

  @Override
  protected void doHealthCheck(Health.Builder builder) {
    Optional<Worker> worker = workers.find(name);
    if (worker.isEmpty()) {
      builder.down().withDetail("state", "NOT_RUNNING");
      return;
    }
    WorkerHealth h = worker.get().health();
    (h.healthy() ? builder.up() : builder.down())
        .withDetail("queue", h.queueUrl())
        .withDetail("state", h.state().name())
        .withDetail("pollersAlive", h.pollersAlive())
        .withDetail("pollers", h.pollers())
        .withDetail("inFlight", h.inFlight())
        .withDetail("consecutivePollErrors", h.consecutivePollErrors());
    h.lastSuccessfulPoll().ifPresent(t -> builder.withDetail("lastSuccessfulPoll", t.toString()));
    h.pausedBy().ifPresent(p -> builder.withDetail("pausedBy", p));
    if (!h.detail().isEmpty()) {
      builder.withDetail("detail", h.detail());
    }
  }
}
