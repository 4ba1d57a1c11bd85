package dev.sqsworker.bench;

import java.nio.file.Path;

/**
 * The benchmark's options.
 *
 * @param quick a reduced run that finishes in about a minute
 * @param json where to write the figures as JSON, or null
 * @param chart where to write a PNG chart, or null
 * @param rounds measured rounds per figure (after one warm-up)
 * @param messages messages per throughput round
 */
public record BenchOptions(boolean quick, Path json, Path chart, int rounds, int messages) {

  static final String USAGE =
      "usage: bin/bench [--quick] [--json FILE] [--chart FILE.png] [--rounds N] [--messages N]";

  /** Parses the command line. */
  public static BenchOptions parse(String... args) {
    boolean quick = false;
    Path json = null;
    Path chart = null;
    Integer rounds = null;
    Integer messages = null;
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      switch (arg) {
        case "--quick" -> quick = true;
        case "--json" -> json = Path.of(value(args, ++i, arg));
        case "--chart" -> chart = Path.of(value(args, ++i, arg));
        case "--rounds" -> rounds = positive(value(args, ++i, arg), arg);
        case "--messages" -> messages = positive(value(args, ++i, arg), arg);
        default -> throw new IllegalArgumentException("unknown option '" + arg + "'");
      }
    }
    return new BenchOptions(
        quick,
        json,
        chart,
        rounds != null ? rounds : quick ? 2 : 5,
        messages != null ? messages : quick ? 500 : 10_000);
  }

  private static String value(String[] args, int i, String option) {
    if (i >= args.length) {
      throw new IllegalArgumentException(option + " needs a value");
    }
    return args[i];
  }

  private static int positive(String value, String option) {
    try {
      int n = Integer.parseInt(value);
      if (n < 1) {
        throw new IllegalArgumentException(option + " must be at least 1, was " + n);
      }
      return n;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(option + " must be a number, was '" + value + "'", e);
    }
  }
}
