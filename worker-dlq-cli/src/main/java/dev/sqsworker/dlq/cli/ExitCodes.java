package dev.sqsworker.dlq.cli;

import dev.sqsworker.dlq.DlqException;

/** The exit codes of the {@code dlq} command, also listed in every command's help. */
public final class ExitCodes {

  /** Done. */
  public static final int OK = 0;

  /** An unexpected error (a bug, or a failure of the machine itself). */
  public static final int INTERNAL = 1;

  /** Bad command line: unknown option, bad value, a filter that does not parse. */
  public static final int USAGE = 2;

  /** The queue does not exist. */
  public static final int QUEUE_NOT_FOUND = 3;

  /** The queue is no queue's dead-letter queue (use --force to go on anyway). */
  public static final int NOT_A_DEAD_LETTER_QUEUE = 4;

  /**
   * Some messages could not be moved (too large, no destination), or an export could not reach
   * every message; they stay where they were.
   */
  public static final int SOME_FAILED = 5;

  /** SQS kept throttling after retries. */
  public static final int THROTTLED = 6;

  /** SQS or AWS refused for another reason (credentials, permissions, a conflict). */
  public static final int SERVICE = 7;

  /** A file could not be read or written. */
  public static final int FILE = 8;

  /** Not confirmed: the purge or delete was declined. */
  public static final int NOT_CONFIRMED = 9;

  /** Interrupted (Ctrl-C); nothing was lost. */
  public static final int INTERRUPTED = 130;

  /** The help footer that lists the codes. */
  static final String FOOTER =
      "%nExit codes:%n"
          + "  0    done%n"
          + "  1    unexpected error%n"
          + "  2    bad command line or filter%n"
          + "  3    queue not found%n"
          + "  4    not a dead-letter queue (--force skips the check)%n"
          + "  5    some messages could not be moved, exported or found; they stay in the queue%n"
          + "  6    throttled by SQS after retries%n"
          + "  7    other AWS error (credentials, permissions, conflict)%n"
          + "  8    file could not be read or written%n"
          + "  9    purge or delete not confirmed%n"
          + "  130  interrupted (Ctrl-C); nothing was lost%n"
          + "  143  terminated (SIGTERM); nothing was lost%n";

  private ExitCodes() {}

  /** The exit code for a library failure. */
  static int of(DlqException e) {
    return switch (e.problem()) {
      case QUEUE_NOT_FOUND -> QUEUE_NOT_FOUND;
      case NOT_A_DEAD_LETTER_QUEUE -> NOT_A_DEAD_LETTER_QUEUE;
      case THROTTLED -> THROTTLED;
      case SERVICE -> SERVICE;
      case PAYLOAD_NOT_FOUND -> SOME_FAILED;
      case IO -> FILE;
      case INTERRUPTED -> INTERRUPTED;
    };
  }
}
