package dev.sqsworker.spring.boot.internal;

import dev.sqsworker.core.MessageContext;
import dev.sqsworker.core.MessageHandler;
import javax.sql.DataSource;
import org.springframework.jdbc.datasource.ConnectionHolder;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Runs a handler of the transactional mode only inside the Spring transaction that {@link
 * SpringTransactionDataSource} began for its message on this thread. Should the worker ever call
 * the handler elsewhere, the message fails (and is retried) instead of committing the handler's
 * writes apart from the completion.
 *
 * @param <T> the payload type
 */
public final class TransactionBoundHandler<T> implements MessageHandler<T> {

  private final String workerName;
  private final MessageHandler<T> delegate;
  private final DataSource dataSource;

  /**
   * @param workerName the worker, for the error message
   * @param delegate the application's handler
   * @param dataSource the application's data source (the key of the bound connection)
   */
  public TransactionBoundHandler(
      String workerName, MessageHandler<T> delegate, DataSource dataSource) {
    this.workerName = workerName;
    this.delegate = delegate;
    this.dataSource = dataSource;
  }

  @Override
  public void handle(T payload, MessageContext context) throws Exception {
    if (context.transaction().isEmpty()
        || !TransactionSynchronizationManager.isActualTransactionActive()
        || !(TransactionSynchronizationManager.getResource(dataSource)
            instanceof ConnectionHolder)) {
      throw new IllegalStateException(
          "sqsworker.workers."
              + workerName
              + ": the handler of message "
              + context.messageId()
              + " runs outside the Spring transaction of its idempotency key; not running it");
    }
    delegate.handle(payload, context);
  }

  @Override
  public String toString() {
    return delegate.toString();
  }
}
