package dev.sqsworker.app;

import dev.sqsworker.core.MessageContext;
import dev.sqsworker.core.MessageHandler;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Two handlers that record the bodies they got, each in its own list. */
public final class RecordingTextHandlers {

  /** Bodies handled by {@link Orders}. */
  public static final List<String> ORDERS = new CopyOnWriteArrayList<>();

  /** Bodies handled by {@link Refunds}. */
  public static final List<String> REFUNDS = new CopyOnWriteArrayList<>();

  /** Bodies handled by {@link Payloads}. */
  public static final List<String> PAYLOADS = new CopyOnWriteArrayList<>();

  /** Bodies handled by {@link Plain}. */
  public static final List<String> PLAIN = new CopyOnWriteArrayList<>();

  private RecordingTextHandlers() {}

  /** Records into {@link #PLAIN}. */
  public static final class Plain implements MessageHandler<String> {
    @Override
    public void handle(String payload, MessageContext context) {
      PLAIN.add(payload);
    }
  }

  /** Records into {@link #PAYLOADS}. */
  public static final class Payloads implements MessageHandler<String> {
    @Override
    public void handle(String payload, MessageContext context) {
      PAYLOADS.add(payload);
    }
  }

  /** Records into {@link #ORDERS}. */
  public static final class Orders implements MessageHandler<String> {
    @Override
    public void handle(String payload, MessageContext context) {
      ORDERS.add(payload);
    }
  }

  /** Records into {@link #REFUNDS}. */
  public static final class Refunds implements MessageHandler<String> {
    @Override
    public void handle(String payload, MessageContext context) {
      REFUNDS.add(payload);
    }
  }
}
