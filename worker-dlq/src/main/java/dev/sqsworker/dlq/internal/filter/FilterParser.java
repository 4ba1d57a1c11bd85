package dev.sqsworker.dlq.internal.filter;

import com.fasterxml.jackson.core.JsonPointer;
import dev.sqsworker.core.Durations;
import dev.sqsworker.core.FailureReason;
import dev.sqsworker.dlq.DeadLetter;
import dev.sqsworker.dlq.FilterSyntaxException;
import dev.sqsworker.dlq.MessageFilter;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * A recursive-descent parser for the filter language described on {@link MessageFilter}.
 *
 * <pre>
 * expression := and ( "or" and )*
 * and        := unary ( "and" unary )*
 * unary      := "not" unary | "(" expression ")" | comparison
 * comparison := field operator value
 * </pre>
 */
public final class FilterParser {

  static final String FIELDS =
      "messageId, errorClass, errorMessage, fingerprint, kind, source, attempts, age,"
          + " receiveCount, attr:NAME, body:/json/pointer";
  private static final String OPERATORS = "=, !=, ~, <, <=, >, >=";

  private final String expression;
  private final List<Token> tokens;
  private int next;

  private FilterParser(String expression) {
    this.expression = expression;
    this.tokens = Tokenizer.tokenize(expression);
  }

  /**
   * Parses an expression.
   *
   * @throws FilterSyntaxException at the first problem
   */
  public static MessageFilter parse(String expression) {
    FilterParser parser = new FilterParser(expression);
    MessageFilter filter = parser.orExpression();
    Token end = parser.peek();
    if (end.type() != Token.Type.END) {
      throw parser.error(
          end,
          end.type() == Token.Type.CLOSE
              ? "unexpected ')' without a matching '('"
              : "expected 'and', 'or' or the end of the filter, found " + end.describe());
    }
    return filter;
  }

  private MessageFilter orExpression() {
    MessageFilter left = andExpression();
    while (peek().isKeyword("or")) {
      next++;
      left = new Nodes.Or(left, andExpression());
    }
    return left;
  }

  private MessageFilter andExpression() {
    MessageFilter left = unary();
    while (peek().isKeyword("and")) {
      next++;
      left = new Nodes.And(left, unary());
    }
    return left;
  }

  private MessageFilter unary() {
    Token token = peek();
    if (token.isKeyword("not")) {
      next++;
      return new Nodes.Not(unary());
    }
    if (token.type() == Token.Type.OPEN) {
      next++;
      MessageFilter inner = orExpression();
      Token close = peek();
      if (close.type() != Token.Type.CLOSE) {
        throw error(close, "expected ')' to close the '(' at position " + (token.start() + 1));
      }
      next++;
      return inner;
    }
    return comparison();
  }

  private MessageFilter comparison() {
    Token fieldToken = take();
    if (fieldToken.type() != Token.Type.WORD || isKeyword(fieldToken)) {
      throw error(fieldToken, "expected a field (" + FIELDS + "), found " + fieldToken.describe());
    }
    String field = fieldToken.text();
    if ((field.equals("attr:") || field.equals("body:"))
        && peek().type() == Token.Type.STRING
        && peek().start() == fieldToken.start() + field.length()) {
      field = field + take().text();
    }
    Token opToken = take();
    if (opToken.type() != Token.Type.OPERATOR) {
      throw error(
          opToken,
          "expected an operator ("
              + OPERATORS
              + ") after '"
              + field
              + "', found "
              + opToken.describe());
    }
    Operator op = Operator.of(opToken.text()).orElseThrow();
    Token valueToken = take();
    if (valueToken.type() != Token.Type.WORD && valueToken.type() != Token.Type.STRING) {
      throw error(
          valueToken,
          "expected a value after '" + op.symbol() + "', found " + valueToken.describe());
    }
    return build(fieldToken, field, opToken, op, valueToken);
  }

  private MessageFilter build(
      Token fieldToken, String field, Token opToken, Operator op, Token valueToken) {
    String value = valueToken.text();
    if (field.startsWith("attr:")) {
      String name = field.substring("attr:".length());
      if (name.isEmpty()) {
        throw error(fieldToken, "attr: needs an attribute name, as in attr:tenant=acme");
      }
      return new Comparisons.Text(field, message -> message.attributeText(name), op, value);
    }
    if (field.startsWith("body:")) {
      JsonPointer pointer = pointer(fieldToken, field.substring("body:".length()));
      return new Comparisons.Text(
          field, message -> Comparisons.bodyValue(message, pointer), op, value);
    }
    return switch (field) {
      case "messageId" -> {
        requireTextOperator(field, opToken, op);
        yield new Comparisons.Text(field, message -> Optional.of(message.messageId()), op, value);
      }
      case "errorClass" -> text(field, opToken, op, value, FailureReason::errorClass);
      case "errorMessage" -> text(field, opToken, op, value, FailureReason::errorMessage);
      case "fingerprint" -> text(field, opToken, op, value, FailureReason::fingerprint);
      case "kind" -> text(field, opToken, op, value, reason -> reason.kind().name());
      case "source" -> {
        requireTextOperator(field, opToken, op);
        yield new Comparisons.Source(op, value);
      }
      case "attempts" ->
          new Comparisons.Number(
              message -> message.failureReason().map(reason -> (long) reason.attempts()),
              requireNumberOperator(field, opToken, op),
              number(valueToken));
      case "receiveCount" ->
          new Comparisons.Number(
              message -> Optional.of((long) message.receiveCount()),
              requireNumberOperator(field, opToken, op),
              number(valueToken));
      case "age" ->
          new Comparisons.Age(requireNumberOperator(field, opToken, op), duration(valueToken));
      default -> throw error(fieldToken, "unknown field '" + field + "'; fields are " + FIELDS);
    };
  }

  private MessageFilter text(
      String field,
      Token opToken,
      Operator op,
      String value,
      Function<FailureReason, String> part) {
    requireTextOperator(field, opToken, op);
    Function<DeadLetter, Optional<String>> extractor = message -> message.failureReason().map(part);
    return new Comparisons.Text(field, extractor, op, value);
  }

  private void requireTextOperator(String field, Token opToken, Operator op) {
    if (op.isOrdering()) {
      throw error(
          opToken,
          "operator '" + op.symbol() + "' does not apply to " + field + "; use =, != or ~");
    }
  }

  private Operator requireNumberOperator(String field, Token opToken, Operator op) {
    if (op == Operator.CONTAINS) {
      throw error(
          opToken, "operator '~' does not apply to " + field + "; use =, !=, <, <=, > or >=");
    }
    return op;
  }

  private long number(Token token) {
    try {
      return Long.parseLong(token.text().trim());
    } catch (NumberFormatException e) {
      throw error(token, "'" + token.text() + "' is not a whole number");
    }
  }

  private Duration duration(Token token) {
    return Durations.tryParse(token.text())
        .orElseThrow(
            () ->
                error(
                    token,
                    "'" + token.text() + "' is not a duration (like 90s, 15m, 2h, 7d or PT1H30M)"));
  }

  private JsonPointer pointer(Token fieldToken, String text) {
    try {
      if (!text.startsWith("/")) {
        throw new IllegalArgumentException("it must start with '/'");
      }
      return JsonPointer.compile(text);
    } catch (IllegalArgumentException e) {
      throw error(fieldToken, "invalid JSON pointer '" + text + "': " + e.getMessage());
    }
  }

  private static boolean isKeyword(Token token) {
    return token.isKeyword("and") || token.isKeyword("or") || token.isKeyword("not");
  }

  private Token peek() {
    return tokens.get(next);
  }

  private Token take() {
    Token token = tokens.get(next);
    if (token.type() != Token.Type.END) {
      next++;
    }
    return token;
  }

  private FilterSyntaxException error(Token at, String problem) {
    return new FilterSyntaxException(expression, at.start(), problem);
  }
}
