package dev.sqsworker.infra.internal;

import dev.sqsworker.infra.WorkerQueue;
import dev.sqsworker.infra.WorkerServiceProps;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The settings of one consumed queue with the service's values filled in where the queue sets none.
 * The single-queue form is one unnamed queue built from the service's props alone.
 *
 * @param name the worker's name in {@code SQSWORKER_WORKERS}; empty in the single-queue form
 */
public record QueueSettings(
    Optional<String> name,
    String handlerClass,
    Optional<String> queueName,
    boolean fifo,
    int concurrency,
    int maxAttempts,
    int maxReceiveCount,
    Duration visibilityTimeout,
    Duration messageRetention,
    Duration oldestMessageAlarmAge,
    int deadLetterGrowthThreshold) {

  /** The queues of a service: its {@code queues()}, or the one queue of the single-queue form. */
  public static List<QueueSettings> of(WorkerServiceProps props) {
    if (!props.multiQueue()) {
      return List.of(
          new QueueSettings(
              Optional.empty(),
              props.handlerClass(),
              props.queueName(),
              props.fifo(),
              props.concurrency(),
              props.maxAttempts(),
              props.maxReceiveCount(),
              props.visibilityTimeout(),
              props.messageRetention(),
              props.oldestMessageAlarmAge(),
              props.deadLetterGrowthThreshold()));
    }
    return props.queues().stream().map(q -> of(props, q)).toList();
  }

  private static QueueSettings of(WorkerServiceProps props, WorkerQueue q) {
    var maxAttempts = q.maxAttempts().orElse(props.maxAttempts());
    var fifo = q.fifo().orElse(props.fifo());
    return new QueueSettings(
        Optional.of(q.name()),
        q.handlerClass().orElse(props.handlerClass()),
        q.queueName(),
        fifo,
        q.concurrency().orElse(props.concurrency()),
        maxAttempts,
        maxAttempts
            + q.redriveMargin()
                .or(props::explicitRedriveMargin)
                .orElse(WorkerServiceProps.defaultRedriveMargin(maxAttempts, fifo)),
        q.visibilityTimeout().orElse(props.visibilityTimeout()),
        q.messageRetention().orElse(props.messageRetention()),
        q.oldestMessageAlarmAge().orElse(props.oldestMessageAlarmAge()),
        q.deadLetterGrowthThreshold().orElse(props.deadLetterGrowthThreshold()));
  }

  /**
   * The queue's part of construct ids and statement ids: {@code refunds-eu} → {@code RefundsEu};
   * empty in the single-queue form, which keeps the ids it always had.
   */
  public String idPart() {
    return name.map(QueueSettings::pascal).orElse("");
  }

  /** {@code SQSWORKER_<NAME>_} for a named queue, {@code SQSWORKER_} in the single-queue form. */
  public String variablePrefix() {
    return name.map(
            n -> "SQSWORKER_" + n.toUpperCase(java.util.Locale.ROOT).replace('-', '_') + "_")
        .orElse("SQSWORKER_");
  }

  /** How alarm descriptions name the queue: {@code orders}, or {@code shop/refunds-eu}. */
  public String describe(String workerName) {
    return name.map(n -> workerName + "/" + n).orElse(workerName);
  }

  private static String pascal(String name) {
    var id = new StringBuilder();
    for (var part : name.split("-")) {
      if (!part.isEmpty()) {
        id.append(Character.toUpperCase(part.charAt(0))).append(part.substring(1));
      }
    }
    return id.toString();
  }
}
