package dev.sqsworker.core.resilience;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class HttpStatusExceptionTest {

  private static final Instant NOW = Instant.parse("2026-03-02T10:00:00Z");

  @Test
  void retryAfterInSeconds() {
    assertThat(HttpStatusException.parseRetryAfter("120", NOW)).contains(Duration.ofMinutes(2));
    assertThat(HttpStatusException.parseRetryAfter(" 0 ", NOW)).contains(Duration.ZERO);
  }

  @Test
  void retryAfterAsAnHttpDateIsReadAgainstNow() {
    assertThat(HttpStatusException.parseRetryAfter("Mon, 2 Mar 2026 10:00:30 GMT", NOW))
        .contains(Duration.ofSeconds(30));
    assertThat(HttpStatusException.parseRetryAfter("Mon, 2 Mar 2026 09:00:00 GMT", NOW))
        .contains(Duration.ZERO);
  }

  @Test
  void unreadableRetryAfterIsIgnored() {
    assertThat(HttpStatusException.parseRetryAfter("later", NOW)).isEmpty();
    assertThat(HttpStatusException.parseRetryAfter("", NOW)).isEmpty();
    assertThat(HttpStatusException.parseRetryAfter("-5", NOW)).isEmpty();
    assertThat(HttpStatusException.parseRetryAfter("99999999999999999999999", NOW)).isEmpty();
  }

  @Test
  void rejectsImpossibleStatuses() {
    assertThatThrownBy(() -> new HttpStatusException(42, "x"))
        .hasMessage("status must be between 100 and 599, was 42");
    assertThat(new HttpStatusException(503, Duration.ofSeconds(2), "x").retryAfter())
        .contains(Duration.ofSeconds(2));
    assertThat(new HttpStatusException(404, "x").retryAfter()).isEmpty();
  }
}
