package dev.sqsworker.samples.demo;

/**
 * The demo's command-line options.
 *
 * @param messages how many messages to send
 * @param quiet print only the summary line
 */
record DemoOptions(int messages, boolean quiet) {

  static final String USAGE = "usage: bin/demo [--messages N] [--quiet]";

  static DemoOptions parse(String... args) {
    int messages = 200;
    boolean quiet = false;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--quiet", "-q" -> quiet = true;
        case "--messages", "-n" -> {
          if (i + 1 >= args.length) {
            throw new IllegalArgumentException("--messages needs a number");
          }
          try {
            messages = Integer.parseInt(args[++i]);
          } catch (NumberFormatException e) {
            throw new IllegalArgumentException(
                "--messages must be a number, was '" + args[i] + "'", e);
          }
          if (messages < 1 || messages > 100_000) {
            throw new IllegalArgumentException(
                "--messages must be between 1 and 100000, was " + messages);
          }
        }
        case "--help", "-h" -> throw new IllegalArgumentException("help");
        default -> throw new IllegalArgumentException("unknown option '" + args[i] + "'");
      }
    }
    return new DemoOptions(messages, quiet);
  }
}
