package dev.sqsworker.app;

import dev.sqsworker.core.MessageContext;
import dev.sqsworker.core.MessageHandler;
import dev.sqsworker.core.NonRetryableException;

/** Fails as its body says: {@code reject} is non-retryable, {@code fail} retryable, else done. */
public final class FailingTextHandler implements MessageHandler<String> {
  @Override
  public void handle(String payload, MessageContext context) {
    switch (payload) {
      case "reject" -> throw new NonRetryableException("rejected " + context.messageId());
      case "fail" -> throw new IllegalStateException("failed attempt " + context.attempt());
      default -> {}
    }
  }
}
