package dev.sqsworker.core.internal.settle;

/**
 * What happened to a message so far: the first input of {@link SettlementPolicy#decide}. The
 * admission events come before the handler runs ({@link Admitted} may lead to a run), the others
 * after.
 */
public sealed interface Happened {

  /** The message was not started: the worker is stopping, or its FIFO group must wait. */
  record NotStarted(String why) implements Happened {}

  /** Its body could not be decoded. */
  record Undecodable(RuntimeException error) implements Happened {}

  /** Its idempotency key is unusable (key function failed, NUL character, too long). */
  record BadKey(RuntimeException error) implements Happened {}

  /** Decoded and (if idempotency is on) claimed: the claim state tells whether it may run. */
  record Admitted() implements Happened {}

  /** The idempotency store could not be reached before or after the handler (no attempt used). */
  record StoreUnavailable(Throwable error) implements Happened {}

  /**
   * The handler returned.
   *
   * @param completed whether its claim was completed already (in the handler's transaction)
   */
  record Succeeded(boolean completed) implements Happened {}

  /**
   * The handler threw (or its transaction could not be committed because of the message's data).
   *
   * @param error the failure
   * @param cancelledByShutdown whether shutdown cancelled it past its grace
   * @param inStoreTransaction whether it ran in (or committed) the idempotency store's transaction,
   *     so a database failure in it is read by its SQLState
   */
  record Failed(Throwable error, boolean cancelledByShutdown, boolean inStoreTransaction)
      implements Happened {}

  /** In transactional mode the claim was taken over while the handler ran: its work rolled back. */
  record ClaimLost() implements Happened {}

  /**
   * The handler succeeded on it, but the transaction it shared with other messages of its batch was
   * rolled back for another message's sake (a lost claim): not its fault, so no attempt is used.
   */
  record RolledBack(String why) implements Happened {}
}
