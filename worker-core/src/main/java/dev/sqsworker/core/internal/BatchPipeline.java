package dev.sqsworker.core.internal;

import dev.sqsworker.core.internal.admit.ClaimState;
import dev.sqsworker.core.internal.admit.IdempotencyGate;
import dev.sqsworker.core.internal.message.InFlightMessage;
import dev.sqsworker.core.internal.message.Outcome;
import dev.sqsworker.core.internal.receive.BatchSink;
import dev.sqsworker.core.internal.run.BatchRunner;
import dev.sqsworker.core.internal.settle.Acknowledger;
import dev.sqsworker.core.internal.settle.Happened;
import dev.sqsworker.core.internal.settle.Settlement;
import dev.sqsworker.core.internal.settle.SettlementPolicy;
import dev.sqsworker.core.internal.support.WorkerMetrics;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.slf4j.MDC;

/**
 * The way of a batch handler's messages: the same stages as {@link MessagePipeline} (whose
 * admission and release it reuses), decided per message by the same {@link SettlementPolicy}, with
 * one {@link BatchRunner} call for the messages admitted to run. Messages settled at admission
 * (undecodable, bad key, duplicate, busy, exhausted) never reach the handler.
 */
public final class BatchPipeline implements BatchSink {

  static final String EARLIER_FAILED = "an earlier message of its FIFO group did not succeed";

  private final String queueName;
  private final MessagePipeline admission;
  private final IdempotencyGate gate;
  private final SettlementPolicy policy;
  private final BatchRunner runner;
  private final Acknowledger acknowledger;
  private final WorkerMetrics metrics;
  private final Clock clock;
  private final BooleanSupplier stopping;

  /** Wires the batch stages of one worker; {@code admission} prepares and releases messages. */
  public BatchPipeline(
      String queueName,
      MessagePipeline admission,
      IdempotencyGate gate,
      SettlementPolicy policy,
      BatchRunner runner,
      Acknowledger acknowledger,
      WorkerMetrics metrics,
      Clock clock,
      BooleanSupplier stopping) {
    this.queueName = queueName;
    this.admission = admission;
    this.gate = gate;
    this.policy = policy;
    this.runner = runner;
    this.acknowledger = acknowledger;
    this.metrics = metrics;
    this.clock = clock;
    this.stopping = stopping;
  }

  @Override
  public void prepare(List<InFlightMessage> batch) {
    admission.prepare(batch);
  }

  @Override
  public Outcome process(InFlightMessage m) {
    return processBatch(List.of(m), false).get(0);
  }

  @Override
  public Outcome release(InFlightMessage m, String why) {
    return admission.release(m, why);
  }

  /** A message admitted before the call, with what admitting it decided. */
  private record Admitted(int index, InFlightMessage message, Happened happened, Settlement plan) {}

  @Override
  public List<Outcome> processBatch(List<InFlightMessage> messages, boolean ordered) {
    Outcome[] outcomes = new Outcome[messages.size()];
    MDC.put(MessagePipeline.MDC_QUEUE, queueName);
    try {
      if (stopping.getAsBoolean()) {
        for (int i = 0; i < messages.size(); i++) {
          outcomes[i] = release(messages.get(i), "the worker is stopping");
        }
        return List.of(outcomes);
      }
      Instant now = clock.instant();
      List<BatchRunner.Planned> planned = new ArrayList<>();
      List<Integer> plannedAt = new ArrayList<>();
      Admitted stopper = null;
      for (int i = 0; i < messages.size(); i++) {
        Admitted admitted = admit(i, messages.get(i), now);
        if (admitted.plan() instanceof Settlement.Run run) {
          planned.add(new BatchRunner.Planned(admitted.message(), run.attempt()));
          plannedAt.add(i);
        } else if (ordered && !isDuplicate(admitted.plan())) {
          // FIFO: it ends the run of its group; settled only if everything before it succeeds.
          stopper = admitted;
          break;
        } else {
          outcomes[i] = settleUnrun(admitted);
        }
      }
      List<Happened> ran = planned.isEmpty() ? List.of() : runner.run(planned);
      boolean blocked = false;
      for (int j = 0; j < planned.size(); j++) {
        InFlightMessage m = planned.get(j).message();
        int i = plannedAt.get(j);
        if (blocked) {
          outcomes[i] = release(m, EARLIER_FAILED);
          continue;
        }
        outcomes[i] = settleRun(m, planned.get(j).attempt(), ran.get(j));
        blocked = ordered && !succeeded(outcomes[i]);
      }
      if (stopper != null) {
        outcomes[stopper.index()] =
            blocked ? release(stopper.message(), EARLIER_FAILED) : settleUnrun(stopper);
        for (int i = stopper.index() + 1; i < messages.size(); i++) {
          outcomes[i] = release(messages.get(i), EARLIER_FAILED);
        }
      }
      return List.of(outcomes);
    } finally {
      MDC.remove(MessagePipeline.MDC_QUEUE);
    }
  }

  private Admitted admit(int index, InFlightMessage m, Instant now) {
    ClaimState claim = gate.claimState(m);
    Happened happened = MessagePipeline.admission(m);
    Settlement plan = policy.decide(happened, m, claim.attemptOr(m.receiveCount()), claim, now);
    return new Admitted(index, m, happened, plan);
  }

  private Outcome settleUnrun(Admitted admitted) {
    if (admitted.happened() instanceof Happened.Undecodable) {
      metrics.failed.increment();
    }
    return acknowledger.settle(admitted.message(), admitted.plan());
  }

  private Outcome settleRun(InFlightMessage m, int attempt, Happened ran) {
    return admission.settleRan(m, attempt, ran, gate.claimState(m));
  }

  private static boolean isDuplicate(Settlement plan) {
    return plan instanceof Settlement.Delete delete && delete.duplicate();
  }

  private static boolean succeeded(Outcome outcome) {
    return outcome == Outcome.SUCCEEDED || outcome == Outcome.DUPLICATE;
  }
}
