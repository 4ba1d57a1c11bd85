package dev.sqsworker.core.internal.receive;

import dev.sqsworker.core.internal.message.InFlightMessage;
import dev.sqsworker.core.internal.message.Outcome;
import java.util.List;

/** Where the dispatcher hands received messages: the rest of the pipeline. */
public interface MessageSink {

  /** Admits a received batch (decode, keys, one claim statement) before any of it runs. */
  void prepare(List<InFlightMessage> batch);

  /** Takes one admitted message to its outcome. Never throws for the message's own failure. */
  Outcome process(InFlightMessage m);

  /** Puts back a message that is not started (FIFO group behind a failure, executor full). */
  Outcome release(InFlightMessage m, String why);
}
