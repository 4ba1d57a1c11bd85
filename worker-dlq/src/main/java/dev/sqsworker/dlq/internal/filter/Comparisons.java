package dev.sqsworker.dlq.internal.filter;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sqsworker.core.FailureReason;
import dev.sqsworker.dlq.DeadLetter;
import dev.sqsworker.dlq.MessageFilter;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Function;

/** The comparison filters: one field of a message against one value. */
final class Comparisons {

  private static final ObjectMapper JSON = new ObjectMapper();

  private Comparisons() {}

  /**
   * A text field: {@code =}, {@code !=} compare text (or numbers when both sides are numbers),
   * {@code ~} looks for a substring, orderings compare numbers only.
   */
  record Text(
      String field, Function<DeadLetter, Optional<String>> extractor, Operator op, String value)
      implements MessageFilter {
    @Override
    public boolean matches(DeadLetter message, Instant now) {
      Optional<String> actual = extractor.apply(message);
      if (actual.isEmpty()) {
        return op == Operator.NE;
      }
      return compareText(actual.get(), op, value);
    }
  }

  /** The source queue: equal by URL or by queue name; {@code ~} looks inside the URL. */
  record Source(Operator op, String value) implements MessageFilter {
    @Override
    public boolean matches(DeadLetter message, Instant now) {
      Optional<String> url = message.failureReason().map(FailureReason::sourceQueue);
      if (url.isEmpty()) {
        return op == Operator.NE;
      }
      String name = url.get().substring(url.get().lastIndexOf('/') + 1);
      return switch (op) {
        case CONTAINS -> url.get().contains(value);
        case EQ -> url.get().equals(value) || name.equals(value);
        case NE -> !url.get().equals(value) && !name.equals(value);
        default -> false;
      };
    }
  }

  /** A whole-number field such as {@code attempts}. */
  record Number(Function<DeadLetter, Optional<Long>> extractor, Operator op, long value)
      implements MessageFilter {
    @Override
    public boolean matches(DeadLetter message, Instant now) {
      Optional<Long> actual = extractor.apply(message);
      if (actual.isEmpty()) {
        return op == Operator.NE;
      }
      return op.test(Long.compare(actual.get(), value));
    }
  }

  /** Time since the last failure. */
  record Age(Operator op, Duration value) implements MessageFilter {
    @Override
    public boolean matches(DeadLetter message, Instant now) {
      return op.test(message.age(now).compareTo(value));
    }
  }

  /** The text of the JSON value at a pointer inside the body, if the body is JSON and has one. */
  static Optional<String> bodyValue(DeadLetter message, JsonPointer pointer) {
    JsonNode root;
    try {
      root = JSON.readTree(message.body());
    } catch (Exception e) {
      return Optional.empty();
    }
    if (root == null) {
      return Optional.empty();
    }
    JsonNode node = root.at(pointer);
    if (node.isMissingNode() || node.isNull()) {
      return Optional.empty();
    }
    return Optional.of(node.isValueNode() ? node.asText() : node.toString());
  }

  private static boolean compareText(String actual, Operator op, String expected) {
    if (op == Operator.CONTAINS) {
      return actual.contains(expected);
    }
    Optional<BigDecimal> actualNumber = number(actual);
    Optional<BigDecimal> expectedNumber = number(expected);
    if (actualNumber.isPresent() && expectedNumber.isPresent()) {
      return op.test(actualNumber.get().compareTo(expectedNumber.get()));
    }
    if (op.isOrdering()) {
      return false;
    }
    return op.test(actual.equals(expected) ? 0 : 1);
  }

  static Optional<BigDecimal> number(String text) {
    try {
      return Optional.of(new BigDecimal(text.trim()));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }
}
