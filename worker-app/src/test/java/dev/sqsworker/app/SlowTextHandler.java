package dev.sqsworker.app;

import dev.sqsworker.core.MessageContext;
import dev.sqsworker.core.MessageHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A handler for a separate JVM: the body is how many milliseconds of work the message takes. It
 * logs when it starts and when it finishes, so the test can follow it through stdout.
 */
public final class SlowTextHandler implements MessageHandler<String> {

  private static final Logger LOG = LoggerFactory.getLogger(SlowTextHandler.class);

  @Override
  public void handle(String millis, MessageContext context) throws InterruptedException {
    LOG.info("started work of {} ms", millis);
    // The message's simulated work (the subject under test), not a test waiting for something.
    Thread.sleep(Long.parseLong(millis.trim()));
    LOG.info("finished work of {} ms", millis);
  }
}
