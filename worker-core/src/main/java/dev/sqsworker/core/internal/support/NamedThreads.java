package dev.sqsworker.core.internal.support;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/** Thread factories whose threads say what they are for: {@code prefix-1}, {@code prefix-2}... */
public final class NamedThreads {

  private NamedThreads() {}

  /** A factory of threads named {@code prefix-N}. */
  public static ThreadFactory factory(String prefix, boolean daemon) {
    AtomicInteger n = new AtomicInteger();
    return runnable -> {
      Thread thread = new Thread(runnable, prefix + "-" + n.incrementAndGet());
      thread.setDaemon(daemon);
      return thread;
    };
  }
}
