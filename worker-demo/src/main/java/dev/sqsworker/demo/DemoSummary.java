package dev.sqsworker.demo;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * What the demo found at the end, counted from where the messages are (rows in PostgreSQL, dead
 * letters in the DLQ), not from what the worker reported.
 *
 * @param sent messages sent
 * @param completed distinct orders stored in PostgreSQL
 * @param duplicatesSkipped duplicate deliveries the idempotency layer skipped
 * @param deadLettered messages left in the dead-letter queue
 * @param replayed messages replayed from the dead-letter queue after the fix
 * @param artifacts receipts stored in S3 and recorded in PostgreSQL
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

  /**
   * Accounts for every sent message: its order is stored, or it is a dead letter, or it is lost.
   */
  static DemoSummary account(
      Workload workload,
      Set<String> storedOrderIds,
      List<Message> dead,
      int duplicatesSkipped,
      int replayed,
      int artifacts) {
    Set<String> deadBodies = new HashSet<>();
    dead.forEach(m -> deadBodies.add(m.body()));
    int lost = 0;
    for (String body : workload.bodies()) {
      String id = workload.orderIdByBody().get(body);
      boolean stored = id != null && storedOrderIds.contains(id);
      if (!stored && !deadBodies.contains(body)) {
        lost++;
      }
    }
    return new DemoSummary(
        workload.bodies().size(),
        storedOrderIds.size(),
        duplicatesSkipped,
        dead.size(),
        replayed,
        artifacts,
        lost);
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
