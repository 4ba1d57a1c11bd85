package dev.sqsworker.dlq;

import dev.sqsworker.dlq.internal.filter.FilterParser;
import java.time.Instant;
import java.util.Collection;
import java.util.Objects;
import java.util.Set;

/**
 * Decides which dead letters an operation takes. Build one with {@link #parse(String)} from an
 * expression such as
 *
 * <pre>{@code
 * errorClass=com.example.PaymentDeclinedException and age>1h and body:/order/type=refund
 * }</pre>
 *
 * <p>Syntax: comparisons joined by {@code and}, {@code or}, {@code not} and parentheses ({@code
 * and} binds tighter than {@code or}). A comparison is {@code field operator value}:
 *
 * <ul>
 *   <li>{@code messageId}: the message's id in the dead-letter queue;
 *   <li>fields from the failure reason: {@code errorClass}, {@code errorMessage}, {@code
 *       fingerprint}, {@code kind}, {@code source} (the source queue, by URL or name), {@code
 *       attempts};
 *   <li>{@code age}: time since the last failure, with a duration value ({@code 90s}, {@code 15m},
 *       {@code 2h}, {@code 7d} or ISO-8601 {@code PT1H30M});
 *   <li>{@code receiveCount}: receives from the dead-letter queue;
 *   <li>{@code attr:NAME}: a String or Number message attribute;
 *   <li>{@code body:/json/pointer}: a value inside a JSON body (RFC 6901 pointer).
 * </ul>
 *
 * <p>Operators: {@code =} and {@code !=} (equal text, or equal numbers), {@code ~} (contains),
 * {@code <}, {@code <=}, {@code >}, {@code >=} (numbers and durations). Values are bare words or
 * double-quoted strings with {@code \"} and {@code \\} escapes. Keywords are case-insensitive;
 * field names are not. A field the message lacks (no failure reason, no such attribute, a body that
 * is not JSON) makes every comparison false except {@code !=}.
 */
@FunctionalInterface
public interface MessageFilter {

  /**
   * Whether the filter takes this message.
   *
   * @param message the dead letter
   * @param now the current time, for age comparisons
   */
  boolean matches(DeadLetter message, Instant now);

  /** A filter that takes every message. */
  static MessageFilter all() {
    return (message, now) -> true;
  }

  /** A filter that takes the messages with these ids (in the dead-letter queue) and no others. */
  static MessageFilter messageIds(Collection<String> messageIds) {
    Set<String> ids = Set.copyOf(messageIds);
    return (message, now) -> ids.contains(message.messageId());
  }

  /** A filter that takes what both this one and {@code other} take. */
  default MessageFilter and(MessageFilter other) {
    Objects.requireNonNull(other, "other");
    return (message, now) -> matches(message, now) && other.matches(message, now);
  }

  /**
   * Parses an expression; a {@code null} or blank expression takes every message.
   *
   * @throws FilterSyntaxException naming the position of the first problem
   */
  static MessageFilter parse(String expression) {
    if (expression == null || expression.isBlank()) {
      return all();
    }
    return FilterParser.parse(expression);
  }
}
