package dev.sqsworker.app;

import dev.sqsworker.core.MessageContext;
import dev.sqsworker.core.MessageHandler;

/** A handler with a no-argument constructor that accepts any body. */
public final class AnyTextHandler implements MessageHandler<String> {
  @Override
  public void handle(String payload, MessageContext context) {}
}
