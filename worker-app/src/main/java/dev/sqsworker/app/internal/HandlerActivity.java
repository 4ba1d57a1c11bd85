package dev.sqsworker.app.internal;

import dev.sqsworker.core.MessageContext;
import dev.sqsworker.core.MessageHandler;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Counts the handlers running right now, by wrapping the user's handler. Scale-in protection needs
 * the messages actually being handled; the worker's own in-flight figure also counts the permits
 * its pollers hold while they long-poll, which is never zero while the worker runs.
 */
public final class HandlerActivity {

  private final AtomicInteger running = new AtomicInteger();

  /** Handlers running now. */
  public int running() {
    return running.get();
  }

  /** {@code handler}, counted. */
  public <T> MessageHandler<T> count(MessageHandler<T> handler) {
    return new Counted<>(handler, running);
  }

  private record Counted<T>(MessageHandler<T> delegate, AtomicInteger running)
      implements MessageHandler<T> {
    @Override
    public void handle(T payload, MessageContext context) throws Exception {
      running.incrementAndGet();
      try {
        delegate.handle(payload, context);
      } finally {
        running.decrementAndGet();
      }
    }
  }
}
