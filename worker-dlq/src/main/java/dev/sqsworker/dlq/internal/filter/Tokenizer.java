package dev.sqsworker.dlq.internal.filter;

import dev.sqsworker.dlq.FilterSyntaxException;
import java.util.ArrayList;
import java.util.List;

/** Splits a filter expression into words, quoted strings, operators and parentheses. */
final class Tokenizer {

  private static final String OPERATOR_CHARS = "=!<>~";

  private final String input;
  private int index;

  private Tokenizer(String input) {
    this.input = input;
  }

  static List<Token> tokenize(String input) {
    return new Tokenizer(input).all();
  }

  private List<Token> all() {
    List<Token> tokens = new ArrayList<>();
    while (true) {
      skipWhitespace();
      if (index >= input.length()) {
        tokens.add(new Token(Token.Type.END, "", input.length()));
        return tokens;
      }
      tokens.add(next());
    }
  }

  private Token next() {
    int start = index;
    char c = input.charAt(index);
    if (c == '(') {
      index++;
      return new Token(Token.Type.OPEN, "(", start);
    }
    if (c == ')') {
      index++;
      return new Token(Token.Type.CLOSE, ")", start);
    }
    if (c == '"') {
      return quoted();
    }
    if (OPERATOR_CHARS.indexOf(c) >= 0) {
      return operator();
    }
    while (index < input.length() && isWordChar(input.charAt(index))) {
      index++;
    }
    return new Token(Token.Type.WORD, input.substring(start, index), start);
  }

  private Token operator() {
    int start = index;
    String two = input.length() >= index + 2 ? input.substring(index, index + 2) : "";
    if (two.equals("!=") || two.equals("<=") || two.equals(">=")) {
      index += 2;
      return new Token(Token.Type.OPERATOR, two, start);
    }
    char c = input.charAt(index);
    if (c == '!') {
      throw new FilterSyntaxException(input, start, "'!' must be followed by '=' (use 'not')");
    }
    index++;
    return new Token(Token.Type.OPERATOR, String.valueOf(c), start);
  }

  private Token quoted() {
    int start = index;
    index++;
    StringBuilder text = new StringBuilder();
    while (index < input.length()) {
      char c = input.charAt(index++);
      if (c == '"') {
        return new Token(Token.Type.STRING, text.toString(), start);
      }
      if (c == '\\') {
        if (index >= input.length()) {
          break;
        }
        char escaped = input.charAt(index++);
        if (escaped != '"' && escaped != '\\') {
          throw new FilterSyntaxException(
              input, index - 2, "unknown escape '\\" + escaped + "' (only \\\" and \\\\)");
        }
        text.append(escaped);
      } else {
        text.append(c);
      }
    }
    throw new FilterSyntaxException(input, start, "unterminated string: missing closing '\"'");
  }

  private void skipWhitespace() {
    while (index < input.length() && Character.isWhitespace(input.charAt(index))) {
      index++;
    }
  }

  private static boolean isWordChar(char c) {
    return !Character.isWhitespace(c)
        && c != '('
        && c != ')'
        && c != '"'
        && OPERATOR_CHARS.indexOf(c) < 0;
  }
}
