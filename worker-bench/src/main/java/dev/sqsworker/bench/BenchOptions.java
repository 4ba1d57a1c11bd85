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
 * @param only the families to run ({@link #FAMILIES}); empty for all
 */
public record BenchOptions(
    boolean quick, Path json, Path chart, int rounds, int messages, java.util.Set<String> only) {

  /** The families of figures, in the order they run. */
  static final java.util.List<String> FAMILIES =
      java.util.List.of(
          "noop",
          "idem",
          "batch",
          "claims",
          "ratelimit",
          "spring",
          "io",
          "scaleout",
          "long",
          "startup");

  static final String USAGE =
      "usage: bin/bench [--quick] [--json FILE] [--chart FILE.png] [--rounds N] [--messages N]"
          + " [--only "
          + String.join(",", FAMILIES)
          + "]";

  /** Whether the family {@code name} runs. */
  public boolean runs(String name) {
    return only.isEmpty() || only.contains(name);
  }

  /** Parses the command line. */
  public static BenchOptions parse(String... args) {
    boolean quick = false;
    Path json = null;
    Path chart = null;
    Integer rounds = null;
    Integer messages = null;
    java.util.Set<String> only = new java.util.LinkedHashSet<>();
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      switch (arg) {
        case "--quick" -> quick = true;
        case "--json" -> json = Path.of(value(args, ++i, arg));
        case "--chart" -> chart = Path.of(value(args, ++i, arg));
        case "--rounds" -> rounds = positive(value(args, ++i, arg), arg);
        case "--messages" -> messages = positive(value(args, ++i, arg), arg);
        case "--only" -> {
          for (String family : value(args, ++i, arg).split(",")) {
            if (!FAMILIES.contains(family.trim())) {
              throw new IllegalArgumentException(
                  "--only: unknown family '"
                      + family.trim()
                      + "' (known: "
                      + String.join(", ", FAMILIES)
                      + ")");
            }
            only.add(family.trim());
          }
        }
        default -> throw new IllegalArgumentException("unknown option '" + arg + "'");
      }
    }
    return new BenchOptions(
        quick,
        json,
        chart,
        rounds != null ? rounds : quick ? 2 : 5,
        messages != null ? messages : quick ? 500 : 10_000,
        java.util.Set.copyOf(only));
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
