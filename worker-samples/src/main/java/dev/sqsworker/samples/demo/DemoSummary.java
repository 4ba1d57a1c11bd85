package dev.sqsworker.samples.demo;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * What the demo found at the end, counted from where the messages are, not from what the worker
 * reported.
 *
 * @param sent messages sent
 * @param completed sent messages whose order is a row in PostgreSQL
 * @param duplicatesSkipped duplicate deliveries the idempotency layer skipped
 * @param deadLettered sent messages found in the dead-letter queue
 * @param replayed messages replayed from the dead-letter queue
 * @param artifacts artifacts stored
 * @param lost sent messages found nowhere
 */
record DemoSummary(
    int sent,
    int completed,
    int duplicatesSkipped,
    int deadLettered,
    int replayed,
    int artifacts,
    int lost) {

  /** Accounts for every sent message: a completed order, a dead letter, or lost. */
  static DemoSummary account(Workload workload, Set<String> completedOrderIds, List<Message> dead) {
    Set<String> deadBodies = new HashSet<>();
    dead.forEach(m -> deadBodies.add(m.body()));
    int completed = 0;
    int deadLettered = 0;
    int lost = 0;
    for (String body : workload.bodies()) {
      String id = workload.orderIdByBody().get(body);
      if (id != null && completedOrderIds.contains(id)) {
        completed++;
      } else if (deadBodies.contains(body)) {
        deadLettered++;
      } else {
        lost++;
      }
    }
    return new DemoSummary(workload.bodies().size(), completed, 0, deadLettered, 0, 0, lost);
  }

  /** The machine-readable last line. */
  String toLine() {
    return "DEMO-SUMMARY {\"sent\":"
        + sent
        + ",\"completed\":"
        + completed
        + ",\"duplicatesSkipped\":"
        + duplicatesSkipped
        + ",\"deadLettered\":"
        + deadLettered
        + ",\"replayed\":"
        + replayed
        + ",\"artifacts\":"
        + artifacts
        + ",\"lost\":"
        + lost
        + "}";
  }
}
