package dev.sqsworker.core;

import java.util.List;

/**
 * The worker's configuration is invalid, or names a queue that cannot be used. The message lists
 * every problem found, each naming the option (and its environment variable) or the queue.
 */
public class ConfigurationException extends IllegalArgumentException {

  private final List<String> problems;

  /** Creates the exception from one or more problems. */
  public ConfigurationException(List<String> problems) {
    super(format(problems));
    this.problems = List.copyOf(problems);
  }

  /** Creates the exception from one problem with its cause. */
  public ConfigurationException(String problem, Throwable cause) {
    super(problem, cause);
    this.problems = List.of(problem);
  }

  /** Each problem, one sentence each. */
  public List<String> problems() {
    return problems;
  }

  private static String format(List<String> problems) {
    if (problems.size() == 1) {
      return problems.get(0);
    }
    StringBuilder text = new StringBuilder("Invalid worker configuration (");
    text.append(problems.size()).append(" problems):");
    for (String problem : problems) {
      text.append("\n - ").append(problem);
    }
    return text.toString();
  }
}
