package dev.sqsworker.dlq;

/**
 * A filter expression that does not parse. The message names the position (counted from 1) and
 * shows the expression with a caret under the offending place.
 */
public final class FilterSyntaxException extends IllegalArgumentException {

  private final String expression;
  private final int position;

  /**
   * An error at a 0-based index in the expression.
   *
   * @param expression the whole expression
   * @param index where the problem starts, 0-based
   * @param problem what is wrong, without the position
   */
  public FilterSyntaxException(String expression, int index, String problem) {
    super(format(expression, index, problem));
    this.expression = expression;
    this.position = index + 1;
  }

  /** The expression that failed to parse. */
  public String expression() {
    return expression;
  }

  /** The position of the problem, counted from 1 like a column. */
  public int position() {
    return position;
  }

  private static String format(String expression, int index, String problem) {
    return "Invalid filter at position "
        + (index + 1)
        + ": "
        + problem
        + System.lineSeparator()
        + "  "
        + expression
        + System.lineSeparator()
        + "  "
        + " ".repeat(Math.max(0, index))
        + "^";
  }
}
