package dev.sqsworker.core;

import java.time.Instant;
import java.util.Optional;

/**
 * A snapshot of a worker's health, for a readiness check.
 *
 * @param queueUrl the queue the worker consumes
 * @param state the lifecycle state
 * @param healthy whether the worker is running, its pollers are alive and SQS answers
 * @param pollersAlive how many receive loops are running
 * @param pollers how many receive loops should be running
 * @param consecutivePollErrors failed receives since the last successful one
 * @param lastSuccessfulPoll when a receive last succeeded, if ever
 * @param inFlight messages being handled now
 * @param pausedBy what pauses polling right now (e.g. an open circuit breaker), if anything
 * @param detail a sentence explaining an unhealthy state, empty when healthy
 */
public record WorkerHealth(
    String queueUrl,
    Worker.State state,
    boolean healthy,
    int pollersAlive,
    int pollers,
    int consecutivePollErrors,
    Optional<Instant> lastSuccessfulPoll,
    int inFlight,
    Optional<String> pausedBy,
    String detail) {}
