package dev.sqsworker.demo;

import java.util.Map;

/**
 * The demo's options: its command line, and one environment variable.
 *
 * @param messages how many messages to send
 * @param quiet print only the summary line
 * @param postgresPort the port of the demo's PostgreSQL ({@value #POSTGRES_PORT}), 0 for a free one
 */
record DemoOptions(int messages, boolean quiet, int postgresPort) {

  static final String USAGE = "usage: bin/demo [--messages N] [--quiet]";

  /** The variable that fixes the port of the demo's PostgreSQL server. */
  static final String POSTGRES_PORT = "SQSWORKER_DEMO_POSTGRES_PORT";

  DemoOptions(int messages, boolean quiet) {
    this(messages, quiet, 0);
  }

  /** The command line's options and the environment's PostgreSQL port. */
  static DemoOptions parse(String[] args, Map<String, String> env) {
    DemoOptions options = parse(args);
    String raw = env.get(POSTGRES_PORT);
    if (raw == null || raw.isBlank()) {
      return options;
    }
    int port;
    try {
      port = Integer.parseInt(raw.trim());
    } catch (NumberFormatException e) {
      port = -1;
    }
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException(
          POSTGRES_PORT + " must be a port between 1 and 65535, was '" + raw + "'");
    }
    return new DemoOptions(options.messages(), options.quiet(), port);
  }

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
