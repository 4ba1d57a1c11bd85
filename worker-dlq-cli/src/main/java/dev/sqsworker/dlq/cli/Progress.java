package dev.sqsworker.dlq.cli;

import dev.sqsworker.dlq.ProgressListener;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;

/** A progress bar on standard error, only when a person is watching a terminal. */
final class Progress implements ProgressListener, AutoCloseable {

  private final ProgressBar bar;

  private Progress(ProgressBar bar) {
    this.bar = bar;
  }

  /** A bar if a person reads the output on a terminal; else nothing. */
  static Progress start(String task, long expected, boolean forPeople) {
    if (!forPeople || System.console() == null) {
      return new Progress(null);
    }
    ProgressBar bar =
        new ProgressBarBuilder()
            .setTaskName(task)
            .setInitialMax(Math.max(1, expected))
            .setConsumer(new ConsoleProgressBarConsumer(System.err))
            .setUnit(" msg", 1)
            .build();
    return new Progress(bar);
  }

  /** Sets how many messages the task expects to handle, once known. */
  void expect(long expected) {
    if (bar != null && expected > 0) {
      bar.maxHint(expected);
    }
  }

  @Override
  public void onProgress(long done, long skipped, long failed) {
    if (bar != null) {
      long seen = done + skipped + failed;
      if (seen > bar.getMax()) {
        bar.maxHint(seen);
      }
      bar.stepTo(seen);
      bar.setExtraMessage(" moved " + done + ", skipped " + skipped + ", failed " + failed);
    }
  }

  @Override
  public void close() {
    if (bar != null) {
      bar.close();
    }
  }
}
