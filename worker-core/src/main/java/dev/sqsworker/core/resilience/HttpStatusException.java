package dev.sqsworker.core.resilience;

import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * An HTTP call answered with an error status. Throw it from HTTP client code inside {@link
 * Downstream#call} so that the {@link ErrorClassifier} can tell a downstream failure (5xx, 408,
 * 429: retried, counted by the breaker) from a bad request (other 4xx: dead-lettered). A {@code
 * Retry-After} the server sent is honoured: waited within the handler when it is short, otherwise
 * by keeping the message invisible that long.
 *
 * <pre>{@code
 * HttpResponse<String> response = payments.call(() ->
 *     HttpStatusException.requireSuccess(http.send(request, BodyHandlers.ofString())));
 * }</pre>
 */
public class HttpStatusException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final int status;
  private final Duration retryAfter;

  /** Creates the exception for {@code status} without a {@code Retry-After}. */
  public HttpStatusException(int status, String message) {
    this(status, null, message);
  }

  /**
   * Creates the exception.
   *
   * @param status the HTTP status code, 100 to 599
   * @param retryAfter how long the server asked to wait, or null
   * @param message what was called and what came back
   */
  public HttpStatusException(int status, Duration retryAfter, String message) {
    super(message);
    if (status < 100 || status > 599) {
      throw new IllegalArgumentException("status must be between 100 and 599, was " + status);
    }
    if (retryAfter != null && retryAfter.isNegative()) {
      throw new IllegalArgumentException("retryAfter must not be negative, was " + retryAfter);
    }
    this.status = status;
    this.retryAfter = retryAfter;
  }

  /** The HTTP status code. */
  public int status() {
    return status;
  }

  /** How long the server asked to wait before the next call ({@code Retry-After}), if it did. */
  public Optional<Duration> retryAfter() {
    return Optional.ofNullable(retryAfter);
  }

  /**
   * Returns the response if its status is below 400, else throws an {@code HttpStatusException}
   * with its status, method, URI and {@code Retry-After}. HTTP dates are read against the system
   * UTC clock.
   */
  public static <T> HttpResponse<T> requireSuccess(HttpResponse<T> response) {
    return requireSuccess(response, Clock.systemUTC());
  }

  /** Like {@link #requireSuccess(HttpResponse)}, reading HTTP dates against {@code clock}. */
  public static <T> HttpResponse<T> requireSuccess(HttpResponse<T> response, Clock clock) {
    int status = response.statusCode();
    if (status < 400) {
      return response;
    }
    Duration retryAfter =
        response
            .headers()
            .firstValue("Retry-After")
            .flatMap(value -> parseRetryAfter(value, clock.instant()))
            .orElse(null);
    throw new HttpStatusException(
        status,
        retryAfter,
        "HTTP "
            + status
            + " from "
            + response.request().method()
            + " "
            + response.request().uri()
            + (retryAfter == null ? "" : " (Retry-After " + retryAfter.toMillis() + " ms)"));
  }

  /**
   * Reads a {@code Retry-After} value: whole seconds ({@code 120}) or an HTTP date ({@code Wed, 21
   * Oct 2015 07:28:00 GMT}, read against {@code now}). Empty when the value is neither; a date in
   * the past gives zero.
   */
  public static Optional<Duration> parseRetryAfter(String value, Instant now) {
    if (value == null || value.isBlank()) {
      return Optional.empty();
    }
    String text = value.trim();
    if (text.chars().allMatch(Character::isDigit)) {
      try {
        return Optional.of(Duration.ofSeconds(Long.parseLong(text)));
      } catch (NumberFormatException e) {
        return Optional.empty();
      }
    }
    try {
      Instant at = ZonedDateTime.parse(text, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
      Duration wait = Duration.between(now, at);
      return Optional.of(wait.isNegative() ? Duration.ZERO : wait);
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }
}
