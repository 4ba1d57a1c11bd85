package dev.sqsworker.samples.demo;

import java.io.PrintStream;

/** A live progress line on a terminal; occasional plain lines otherwise. */
final class Progress {

  private static final int WIDTH = 30;

  private final PrintStream out;
  private final boolean quiet;
  private final boolean terminal = System.console() != null;
  private int lastPrinted = -1;

  Progress(PrintStream out, boolean quiet) {
    this.out = out;
    this.quiet = quiet;
  }

  void show(int done, int total) {
    if (quiet || done == lastPrinted) {
      return;
    }
    int filled = total == 0 ? WIDTH : (int) ((long) done * WIDTH / total);
    String bar = "#".repeat(filled) + "-".repeat(WIDTH - filled);
    if (terminal) {
      out.print("\r  [" + bar + "] " + done + "/" + total + " messages settled");
      out.flush();
    } else if (lastPrinted < 0 || done == total || done - lastPrinted >= Math.max(1, total / 4)) {
      out.println("  [" + bar + "] " + done + "/" + total + " messages settled");
    } else {
      return;
    }
    lastPrinted = done;
  }

  void done() {
    if (!quiet && terminal) {
      out.println();
    }
  }
}
