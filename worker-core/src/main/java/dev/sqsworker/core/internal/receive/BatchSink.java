package dev.sqsworker.core.internal.receive;

import dev.sqsworker.core.internal.message.InFlightMessage;
import dev.sqsworker.core.internal.message.Outcome;
import java.util.List;

/**
 * A sink that takes the messages of a receive (of one group on a FIFO queue) together, to one batch
 * handler call. The dispatcher hands it whole chains instead of one message at a time.
 */
public interface BatchSink extends MessageSink {

  /**
   * Takes admitted messages to their outcomes with one handler call. Never throws for the messages'
   * own failures.
   *
   * @param messages the messages, in the order received
   * @param ordered whether they are one FIFO group: once one did not succeed, the later ones are
   *     released unsettled
   * @return each message's outcome, in the same order
   */
  List<Outcome> processBatch(List<InFlightMessage> messages, boolean ordered);
}
