package dev.sqsworker.core.internal.support;

/** Looks through an exception's chain of causes. */
public final class Causes {

  /** Deep enough for any real wrapping, short enough to stop on a cycle. */
  private static final int MAX_DEPTH = 16;

  private Causes() {}

  /**
   * The first exception of {@code type} in {@code error}'s causal chain (itself included), or null.
   */
  public static <T extends Throwable> T find(Throwable error, Class<T> type) {
    Throwable t = error;
    for (int depth = 0; t != null && depth < MAX_DEPTH; depth++) {
      if (type.isInstance(t)) {
        return type.cast(t);
      }
      if (t.getCause() == t) {
        return null;
      }
      t = t.getCause();
    }
    return null;
  }

  /** The innermost cause of {@code error} (itself if it has none), stopping on a cycle. */
  public static Throwable root(Throwable error) {
    Throwable root = error;
    for (int depth = 0; depth < MAX_DEPTH; depth++) {
      Throwable cause = root.getCause();
      if (cause == null || cause == root) {
        break;
      }
      root = cause;
    }
    return root;
  }

  /** The root cause's message, or its simple class name when it has none. */
  public static String rootMessage(Throwable error) {
    Throwable root = root(error);
    return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
  }
}
