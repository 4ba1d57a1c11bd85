package dev.sqsworker.demo;

import java.io.PrintStream;

/** A live progress line on a terminal; occasional plain lines otherwise. */
final class Progress {

  private static final int WIDTH = 30;

  private final PrintStream out;
  private final boolean quiet;
  private final boolean terminal = System.console() != null;
  private final String phase;
  private int lastPrinted = -1;

  Progress(PrintStream out, boolean quiet, String phase) {
    this.out = out;
    this.quiet = quiet;
    this.phase = phase;
  }

  void show(int done, int total) {
    if (quiet || done == lastPrinted) {
      return;
    }
    int filled = total == 0 ? WIDTH : (int) ((long) done * WIDTH / total);
    String bar = "#".repeat(filled) + "-".repeat(WIDTH - filled);
    if (terminal) {
      out.print("\r  [" + bar + "] " + done + "/" + total + " settled (" + phase + ")");
      out.flush();
    } else if (lastPrinted < 0 || done == total || done - lastPrinted >= Math.max(1, total / 4)) {
      out.println("  [" + bar + "] " + done + "/" + total + " settled (" + phase + ")");
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
