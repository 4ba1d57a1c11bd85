package dev.sqsworker.app;

import dev.sqsworker.core.MessageContext;
import dev.sqsworker.core.MessageHandler;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** A handler that signals {@link #STARTED} and then waits for {@link #GATE} (at most 30 s). */
public final class GatedTextHandler implements MessageHandler<String> {

  /** Counted down when a message starts. */
  public static volatile CountDownLatch STARTED = new CountDownLatch(1);

  /** Opened by the test to let the message finish. */
  public static volatile CountDownLatch GATE = new CountDownLatch(1);

  @Override
  public void handle(String payload, MessageContext context) throws InterruptedException {
    STARTED.countDown();
    if (!GATE.await(30, TimeUnit.SECONDS)) {
      throw new IllegalStateException("gate not opened");
    }
  }
}
