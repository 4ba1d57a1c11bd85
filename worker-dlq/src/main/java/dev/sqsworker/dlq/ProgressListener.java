package dev.sqsworker.dlq;

/**
 * Told after each batch of a long operation (replay, export) how far it got; the CLI draws its
 * progress bar from it. Called on the thread doing the work, so keep it quick.
 */
@FunctionalInterface
public interface ProgressListener {

  /**
   * The counts so far.
   *
   * @param done messages moved (replayed or exported)
   * @param skipped messages that did not match the filter and stay in the queue
   * @param failed messages that could not be moved and stay in the queue
   */
  void onProgress(long done, long skipped, long failed);

  /** A listener that ignores progress. */
  static ProgressListener none() {
    return (done, skipped, failed) -> {};
  }
}
