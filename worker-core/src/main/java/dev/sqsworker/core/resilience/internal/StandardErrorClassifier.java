package dev.sqsworker.core.resilience.internal;

import dev.sqsworker.core.NonRetryableException;
import dev.sqsworker.core.resilience.ErrorClassifier;
import dev.sqsworker.core.resilience.HttpStatusException;
import java.io.IOException;
import java.util.concurrent.TimeoutException;

/** The classifier of {@link ErrorClassifier#standard()}. */
public final class StandardErrorClassifier implements ErrorClassifier {

  /** The one instance. */
  public static final StandardErrorClassifier INSTANCE = new StandardErrorClassifier();

  private static final int MAX_DEPTH = 16;

  private StandardErrorClassifier() {}

  @Override
  public Verdict classify(Throwable error) {
    // The outermost exception whose type tells decides: a wrapper around an HTTP status is
    // classified by the status.
    Throwable t = error;
    for (int depth = 0; t != null && depth < MAX_DEPTH; depth++) {
      Verdict verdict = decisive(t);
      if (verdict != null) {
        return verdict;
      }
      t = t.getCause() == t ? null : t.getCause();
    }
    return Verdict.RETRYABLE;
  }

  private static Verdict decisive(Throwable t) {
    if (t instanceof HttpStatusException http) {
      return byStatus(http.status());
    }
    if (t instanceof NonRetryableException
        || t instanceof InterruptedException
        || t instanceof IllegalArgumentException) {
      return Verdict.NON_RETRYABLE;
    }
    if (t instanceof IOException || t instanceof TimeoutException) {
      return Verdict.RETRYABLE;
    }
    return null;
  }

  /** 5xx, 408 (request timeout) and 429 (too many requests) are the downstream's trouble. */
  static Verdict byStatus(int status) {
    if (status >= 500 || status == 408 || status == 429) {
      return Verdict.RETRYABLE;
    }
    return Verdict.NON_RETRYABLE;
  }

  @Override
  public String toString() {
    return "ErrorClassifier.standard()";
  }
}
