package dev.sqsworker.dlq.internal.filter;

import java.util.Arrays;
import java.util.Optional;

/** The comparison operators of the filter language. */
enum Operator {
  EQ("="),
  NE("!="),
  CONTAINS("~"),
  LT("<"),
  LE("<="),
  GT(">"),
  GE(">=");

  private final String symbol;

  Operator(String symbol) {
    this.symbol = symbol;
  }

  String symbol() {
    return symbol;
  }

  boolean isOrdering() {
    return this == LT || this == LE || this == GT || this == GE;
  }

  /** Applies an ordering or equality operator to the result of {@code compareTo}. */
  boolean test(int comparison) {
    return switch (this) {
      case EQ -> comparison == 0;
      case NE -> comparison != 0;
      case LT -> comparison < 0;
      case LE -> comparison <= 0;
      case GT -> comparison > 0;
      case GE -> comparison >= 0;
      case CONTAINS -> throw new IllegalStateException("'~' is not a comparison");
    };
  }

  static Optional<Operator> of(String symbol) {
    return Arrays.stream(values()).filter(op -> op.symbol.equals(symbol)).findFirst();
  }
}
