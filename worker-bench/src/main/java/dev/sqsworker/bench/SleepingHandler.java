package dev.sqsworker.bench;

import dev.sqsworker.core.MessageContext;
import dev.sqsworker.core.MessageHandler;

/**
 * The scale-out row's handler, run by {@code WorkerApplication} in each worker JVM: an I/O-bound
 * call of {@code BENCH_HANDLER_MILLIS} milliseconds (default 50), so the CPU is not the limit.
 */
public final class SleepingHandler implements MessageHandler<String> {

  private final long millis =
      Long.parseLong(System.getenv().getOrDefault("BENCH_HANDLER_MILLIS", "50"));

  @Override
  public void handle(String body, MessageContext context) throws InterruptedException {
    Thread.sleep(millis);
  }
}
