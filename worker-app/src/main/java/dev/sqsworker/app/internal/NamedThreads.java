package dev.sqsworker.app.internal;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/** Thread factories that name every thread {@code prefix-N}. */
final class NamedThreads {

  private NamedThreads() {}

  static ThreadFactory daemon(String prefix) {
    return factory(prefix, true);
  }

  static ThreadFactory factory(String prefix, boolean daemon) {
    AtomicInteger n = new AtomicInteger();
    return runnable -> {
      Thread thread = new Thread(runnable, prefix + "-" + n.incrementAndGet());
      thread.setDaemon(daemon);
      return thread;
    };
  }
}
