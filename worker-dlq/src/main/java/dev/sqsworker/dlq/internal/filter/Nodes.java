package dev.sqsworker.dlq.internal.filter;

import dev.sqsworker.dlq.DeadLetter;
import dev.sqsworker.dlq.MessageFilter;
import java.time.Instant;

/** The boolean combinators of a parsed filter. */
final class Nodes {

  private Nodes() {}

  record And(MessageFilter left, MessageFilter right) implements MessageFilter {
    @Override
    public boolean matches(DeadLetter message, Instant now) {
      return left.matches(message, now) && right.matches(message, now);
    }
  }

  record Or(MessageFilter left, MessageFilter right) implements MessageFilter {
    @Override
    public boolean matches(DeadLetter message, Instant now) {
      return left.matches(message, now) || right.matches(message, now);
    }
  }

  record Not(MessageFilter inner) implements MessageFilter {
    @Override
    public boolean matches(DeadLetter message, Instant now) {
      return !inner.matches(message, now);
    }
  }
}
