package dev.sqsworker.core.internal.run;

import dev.sqsworker.core.internal.message.InFlightMessage;
import dev.sqsworker.core.internal.settle.Happened;
import dev.sqsworker.core.observation.WorkerObservation;
import dev.sqsworker.core.observation.WorkerObservation.MessageKeys;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.transport.Kind;
import io.micrometer.observation.transport.ReceiverContext;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * The tracing seam around the handler: one {@link WorkerObservation#MESSAGE} observation per
 * message handled, in scope while the handler runs. With a no-op registry {@link #enabled()} is
 * false and the runner does not come here: nothing is allocated per message.
 */
public final class HandlerObservations {

  /** Runs one attempt of a message. */
  @FunctionalInterface
  interface Attempt {
    Happened run(InFlightMessage m, int attempt);
  }

  private final ObservationRegistry registry;
  private final String queueName;

  /** The observations of one worker's messages. */
  public HandlerObservations(ObservationRegistry registry, String queueName) {
    this.registry = registry;
    this.queueName = queueName;
  }

  /** Whether anything is observed. */
  boolean enabled() {
    return !registry.isNoop();
  }

  /** Runs the attempt inside the message's observation. */
  Happened observe(InFlightMessage m, int attempt, Attempt run) {
    ReceiverContext<Message> context = new ReceiverContext<>(TraceHeaders.INSTANCE, Kind.CONSUMER);
    context.setCarrier(m.message());
    context.setRemoteServiceName("sqs");
    Observation observation =
        Observation.createNotStarted(WorkerObservation.MESSAGE.getName(), () -> context, registry)
            .contextualName(queueName + " process")
            .lowCardinalityKeyValue(MessageKeys.QUEUE.withValue(queueName))
            .highCardinalityKeyValue(MessageKeys.MESSAGE_ID.withValue(m.messageId()))
            .highCardinalityKeyValue(MessageKeys.ATTEMPT.withValue(Integer.toString(attempt)))
            .start();
    Happened happened = null;
    Observation.Scope scope = observation.openScope();
    try {
      happened = run.run(m, attempt);
      return happened;
    } catch (RuntimeException | Error e) {
      observation.error(e);
      throw e;
    } finally {
      scope.close();
      observation.lowCardinalityKeyValue(MessageKeys.OUTCOME.withValue(outcome(happened)));
      if (happened instanceof Happened.Failed failed) {
        observation.error(failed.error());
      } else if (happened instanceof Happened.StoreUnavailable unavailable) {
        observation.error(unavailable.error());
      }
      observation.stop();
    }
  }

  static String outcome(Happened happened) {
    if (happened instanceof Happened.Succeeded) {
      return "success";
    }
    if (happened instanceof Happened.ClaimLost) {
      return "claim_lost";
    }
    if (happened instanceof Happened.StoreUnavailable) {
      return "store_unavailable";
    }
    return "failure";
  }
}
