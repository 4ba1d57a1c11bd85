package dev.sqsworker.app;

import java.util.Objects;

/**
 * The result of one readiness check.
 *
 * @param healthy whether the checked part works
 * @param detail a short sentence for operators: what was checked, or why it failed
 */
public record HealthCheck(boolean healthy, String detail) {

  /** Checks that the detail is present. */
  public HealthCheck {
    Objects.requireNonNull(detail, "detail");
  }

  /** A passing check. */
  public static HealthCheck up(String detail) {
    return new HealthCheck(true, detail);
  }

  /** A failing check. */
  public static HealthCheck down(String detail) {
    return new HealthCheck(false, detail);
  }
}
