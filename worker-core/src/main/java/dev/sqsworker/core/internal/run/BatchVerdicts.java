package dev.sqsworker.core.internal.run;

import dev.sqsworker.core.BatchResult;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Reads what a batch handler's call came to, per message: pure, so every branch is unit-tested. A
 * call that threw, returned null or named a message not in its batch fails every message (nothing
 * is deleted on a result that cannot be trusted).
 *
 * @param errors per message, in batch order: null when it succeeded, else its error (a rejection is
 *     a {@link dev.sqsworker.core.NonRetryableException})
 * @param wholeCall whether the call failed as a whole (its transaction must be rolled back)
 */
public record BatchVerdicts(List<Throwable> errors, boolean wholeCall) {

  /**
   * The verdicts of one call.
   *
   * @param messageIds the ids of the batch's messages, in batch order
   * @param result what the handler returned (null if it threw, or returned null)
   * @param thrown what the handler threw, or null
   */
  public static BatchVerdicts of(List<String> messageIds, BatchResult result, Throwable thrown) {
    if (thrown != null) {
      return all(messageIds.size(), thrown);
    }
    if (result == null) {
      return all(
          messageIds.size(),
          new IllegalStateException(
              "the batch handler returned null instead of a BatchResult"
                  + " (BatchResult.allSucceeded() when every message succeeded)"));
    }
    Set<String> unknown = new LinkedHashSet<>(result.failures().keySet());
    unknown.addAll(result.rejections().keySet());
    unknown.removeAll(Set.copyOf(messageIds));
    if (!unknown.isEmpty()) {
      return all(
          messageIds.size(),
          new IllegalStateException(
              "the batch handler's result names message ids that are not in its batch: "
                  + unknown
                  + "; every message of the batch is failed and tried again"));
    }
    List<Throwable> errors = new ArrayList<>(messageIds.size());
    for (String id : messageIds) {
      Throwable error = result.failures().get(id);
      errors.add(error != null ? error : result.rejections().get(id));
    }
    return new BatchVerdicts(errors, false);
  }

  private static BatchVerdicts all(int size, Throwable error) {
    List<Throwable> errors = new ArrayList<>(size);
    for (int i = 0; i < size; i++) {
      errors.add(error);
    }
    return new BatchVerdicts(errors, true);
  }

  /** Whether the message at this index succeeded. */
  public boolean succeeded(int index) {
    return errors.get(index) == null;
  }
}
