package dev.sqsworker.dlq.internal.filter;

/**
 * One token of a filter expression.
 *
 * @param type what kind of token
 * @param text the token's text (unquoted for strings)
 * @param start its 0-based index in the expression
 */
record Token(Type type, String text, int start) {

  enum Type {
    WORD,
    STRING,
    OPERATOR,
    OPEN,
    CLOSE,
    END
  }

  boolean isKeyword(String keyword) {
    return type == Type.WORD && text.equalsIgnoreCase(keyword);
  }

  String describe() {
    return switch (type) {
      case END -> "the end of the filter";
      case STRING -> "\"" + text + "\"";
      default -> "'" + text + "'";
    };
  }
}
