package dev.sqsworker.core.internal.settle;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A short, stable hash of how an error happened: its class and its top stack frames (class and
 * method, no line numbers, so a rebuild does not change it). Messages that failed the same way get
 * the same fingerprint, which the DLQ tools group by.
 */
public final class ErrorFingerprint {

  /** Stack frames that take part in the fingerprint. */
  public static final int FRAMES = 5;

  private ErrorFingerprint() {}

  /** The fingerprint of an error: 12 hex characters. */
  public static String of(Throwable error) {
    Throwable root = error;
    StringBuilder text = new StringBuilder(root.getClass().getName());
    StackTraceElement[] frames = root.getStackTrace();
    for (int i = 0; i < Math.min(FRAMES, frames.length); i++) {
      text.append('|')
          .append(frames[i].getClassName())
          .append('.')
          .append(frames[i].getMethodName());
    }
    return of(text.toString());
  }

  /** The fingerprint of a text. */
  public static String of(String text) {
    try {
      byte[] hash =
          MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(hash, 0, 6);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }
}
