package dev.sqsworker.dlq.cli;

/** The {@code dlq} program. */
public final class DlqMain {

  private static final String LOGBACK_CONFIG = "logback.configurationFile";

  private DlqMain() {}

  /** Runs the command line and exits with its code (see {@link ExitCodes}). */
  public static void main(String[] args) {
    if (System.getProperty(LOGBACK_CONFIG) == null) {
      // Keep the SDK's and our logging to warnings on standard error, away from the output.
      System.setProperty(LOGBACK_CONFIG, "dev/sqsworker/dlq/cli/logback-cli.xml");
    }
    DlqCommand command = new DlqCommand();
    int code = DlqCommand.commandLine(command).execute(args);
    command.closeClient();
    System.exit(code);
  }
}
