package dev.sqsworker.core.observation;

import io.micrometer.common.docs.KeyName;
import io.micrometer.observation.docs.ObservationDocumentation;

/**
 * The observations a worker makes, their names and key values (what a tracing bridge turns into
 * span names and attributes). Low-cardinality keys also tag the timers a meter handler derives.
 */
public enum WorkerObservation implements ObservationDocumentation {

  /**
   * One message handled: from the start of its handler to its commit (or failure). A {@code
   * io.micrometer.observation.transport.ReceiverContext} whose carrier is the SQS message, so a
   * propagating handler continues the producer's trace: the {@code traceparent} (and {@code
   * tracestate}) message attributes, else the {@code AWSTraceHeader} system attribute read as a W3C
   * trace context. Its scope is open while the handler runs, so the handler's own observations
   * (e.g. {@link #DOWNSTREAM_CALL}) are its children.
   */
  MESSAGE {
    @Override
    public String getName() {
      return "sqsworker.message";
    }

    @Override
    public KeyName[] getLowCardinalityKeyNames() {
      return MessageKeys.low();
    }

    @Override
    public KeyName[] getHighCardinalityKeyNames() {
      return MessageKeys.high();
    }
  },

  /** One call through a {@link dev.sqsworker.core.resilience.Downstream}, retries included. */
  DOWNSTREAM_CALL {
    @Override
    public String getName() {
      return "sqsworker.downstream.call";
    }

    @Override
    public KeyName[] getLowCardinalityKeyNames() {
      return DownstreamKeys.values();
    }
  };

  /** The key values of {@link #MESSAGE}. */
  public enum MessageKeys implements KeyName {
    /** Low cardinality: the queue's name. */
    QUEUE("queue"),
    /**
     * Low cardinality: what the handling came to: {@code success}, {@code failure}, {@code
     * claim_lost} (the idempotency claim was lost while it ran) or {@code store_unavailable}.
     */
    OUTCOME("outcome"),
    /** High cardinality: the SQS message id. */
    MESSAGE_ID("message.id"),
    /** High cardinality: the attempt number, from 1. */
    ATTEMPT("attempt");

    private final String key;

    MessageKeys(String key) {
      this.key = key;
    }

    @Override
    public String asString() {
      return key;
    }

    static KeyName[] low() {
      return new KeyName[] {QUEUE, OUTCOME};
    }

    static KeyName[] high() {
      return new KeyName[] {MESSAGE_ID, ATTEMPT};
    }
  }

  /** The key values of {@link #DOWNSTREAM_CALL}. */
  public enum DownstreamKeys implements KeyName {
    /** Low cardinality: the downstream's name. */
    DOWNSTREAM("downstream");

    private final String key;

    DownstreamKeys(String key) {
      this.key = key;
    }

    @Override
    public String asString() {
      return key;
    }
  }
}
