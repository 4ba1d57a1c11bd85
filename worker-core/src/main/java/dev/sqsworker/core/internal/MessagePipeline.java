package dev.sqsworker.core.internal;

import dev.sqsworker.core.PayloadDecodingException;
import dev.sqsworker.core.internal.admit.ClaimState;
import dev.sqsworker.core.internal.admit.IdempotencyGate;
import dev.sqsworker.core.internal.admit.LargePayloads;
import dev.sqsworker.core.internal.admit.PayloadDecoder;
import dev.sqsworker.core.internal.message.InFlightMessage;
import dev.sqsworker.core.internal.message.Outcome;
import dev.sqsworker.core.internal.receive.MessageSink;
import dev.sqsworker.core.internal.run.DefaultMessageContext;
import dev.sqsworker.core.internal.run.HandlerRunner;
import dev.sqsworker.core.internal.settle.Acknowledger;
import dev.sqsworker.core.internal.settle.Happened;
import dev.sqsworker.core.internal.settle.Settlement;
import dev.sqsworker.core.internal.settle.SettlementPolicy;
import dev.sqsworker.core.internal.support.WorkerMetrics;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.BooleanSupplier;
import org.slf4j.MDC;

/**
 * One message's way after the receive: admit (decode, claim), decide, run, decide again, settle.
 * Holds no logic of its own about outcomes: {@link SettlementPolicy} decides, {@link Acknowledger}
 * carries the decision out.
 */
public final class MessagePipeline implements MessageSink {

  /** MDC key of the message id while a handler runs. */
  public static final String MDC_MESSAGE_ID = "sqsworker.messageId";

  /** MDC key of the queue name while a handler runs. */
  public static final String MDC_QUEUE = "sqsworker.queue";

  /** MDC key of the attempt number while a handler runs. */
  public static final String MDC_ATTEMPT = "sqsworker.attempt";

  /** MDC key of the trace header (X-Ray or W3C traceparent) while a handler runs, if any. */
  public static final String MDC_TRACE = "sqsworker.trace";

  private final String queueName;
  private final LargePayloads largePayloads;
  private final PayloadDecoder.Bound decoder;
  private final IdempotencyGate gate;
  private final SettlementPolicy policy;
  private final HandlerRunner runner;
  private final Acknowledger acknowledger;
  private final WorkerMetrics metrics;
  private final Clock clock;
  private final BooleanSupplier stopping;

  /** Wires the stages of one worker. */
  public MessagePipeline(
      String queueName,
      LargePayloads largePayloads,
      PayloadDecoder.Bound decoder,
      IdempotencyGate gate,
      SettlementPolicy policy,
      HandlerRunner runner,
      Acknowledger acknowledger,
      WorkerMetrics metrics,
      Clock clock,
      BooleanSupplier stopping) {
    this.queueName = queueName;
    this.largePayloads = largePayloads;
    this.decoder = decoder;
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
    // Large payloads of the batch are fetched from S3 at once, then decoded one by one.
    List<CompletableFuture<String>> bodies = new ArrayList<>(batch.size());
    for (InFlightMessage m : batch) {
      bodies.add(largePayloads.body(m.message()));
    }
    for (int i = 0; i < batch.size(); i++) {
      InFlightMessage m = batch.get(i);
      try {
        String body = bodyOf(bodies.get(i));
        if (largePayloads.isPointer(m.message())) {
          m.resolvedBody(body);
        }
        m.decoded(decoder.decode(body));
      } catch (PayloadDecodingException e) {
        m.undecodable(e);
      }
    }
    gate.admit(batch);
  }

  private static String bodyOf(CompletableFuture<String> body) {
    try {
      return body.join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof PayloadDecodingException decoding) {
        throw decoding;
      }
      throw new PayloadDecodingException("Cannot read the message body: " + e.getCause(), e);
    }
  }

  @Override
  public Outcome process(InFlightMessage m) {
    MDC.put(MDC_MESSAGE_ID, m.messageId());
    MDC.put(MDC_QUEUE, queueName);
    String trace = DefaultMessageContext.traceHeaderOf(m);
    if (trace != null) {
      MDC.put(MDC_TRACE, trace);
    }
    try {
      if (stopping.getAsBoolean()) {
        return release(m, "the worker is stopping");
      }
      ClaimState claim = gate.claimState(m);
      int attempt = claim.attemptOr(m.receiveCount());
      MDC.put(MDC_ATTEMPT, Integer.toString(attempt));
      Happened admitted = admission(m);
      if (admitted instanceof Happened.Undecodable) {
        metrics.failed.increment();
      }
      Settlement settlement = policy.decide(admitted, m, attempt, claim, clock.instant());
      if (settlement instanceof Settlement.Run run) {
        return settleRan(m, run.attempt(), runner.run(m, run.attempt()), claim);
      }
      return acknowledger.settle(m, settlement);
    } finally {
      MDC.remove(MDC_MESSAGE_ID);
      MDC.remove(MDC_QUEUE);
      MDC.remove(MDC_ATTEMPT);
      MDC.remove(MDC_TRACE);
    }
  }

  /** What admitting a prepared message found: undecodable, a bad key, or admitted. */
  static Happened admission(InFlightMessage m) {
    if (m.decodeFailure() != null) {
      return new Happened.Undecodable(m.decodeFailure());
    }
    if (m.keyFailure() != null) {
      return new Happened.BadKey(m.keyFailure());
    }
    return new Happened.Admitted();
  }

  /** Decides and carries out the outcome of a handler run (single or batch). */
  Outcome settleRan(InFlightMessage m, int attempt, Happened ran, ClaimState claim) {
    Settlement settlement = policy.decide(ran, m, attempt, claim, clock.instant());
    if (ran instanceof Happened.Failed && !(settlement instanceof Settlement.Park)) {
      metrics.failed.increment();
    }
    return acknowledger.settle(m, settlement);
  }

  @Override
  public Outcome release(InFlightMessage m, String why) {
    ClaimState claim = gate.claimState(m);
    Settlement settlement =
        policy.decide(
            new Happened.NotStarted(why),
            m,
            claim.attemptOr(m.receiveCount()),
            claim,
            clock.instant());
    return acknowledger.settle(m, settlement);
  }
}
