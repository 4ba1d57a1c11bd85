package dev.sqsworker.core.resilience;

import static dev.sqsworker.core.resilience.ErrorClassifier.Verdict.NON_RETRYABLE;
import static dev.sqsworker.core.resilience.ErrorClassifier.Verdict.RETRYABLE;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sqsworker.core.NonRetryableException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.http.HttpTimeoutException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ErrorClassifierTest {

  private final ErrorClassifier classifier = ErrorClassifier.standard();

  @ParameterizedTest
  @ValueSource(ints = {500, 502, 503, 504, 429, 408})
  void serverErrorsThrottlingAndRequestTimeoutsAreRetryable(int status) {
    assertThat(classifier.classify(new HttpStatusException(status, "x"))).isEqualTo(RETRYABLE);
  }

  @ParameterizedTest
  @ValueSource(ints = {400, 401, 403, 404, 409, 422})
  void otherClientErrorsAreNot(int status) {
    assertThat(classifier.classify(new HttpStatusException(status, "x"))).isEqualTo(NON_RETRYABLE);
  }

  @Test
  void timeoutsAndConnectionErrorsAreRetryable() {
    assertThat(classifier.classify(new TimeoutException())).isEqualTo(RETRYABLE);
    assertThat(classifier.classify(new HttpTimeoutException("slow"))).isEqualTo(RETRYABLE);
    assertThat(classifier.classify(new ConnectException("refused"))).isEqualTo(RETRYABLE);
    assertThat(classifier.classify(new UncheckedIOException(new IOException("reset"))))
        .isEqualTo(RETRYABLE);
  }

  @Test
  void unknownErrorsAreRetryable() {
    assertThat(classifier.classify(new IllegalStateException("?"))).isEqualTo(RETRYABLE);
  }

  @Test
  void explicitRejectionsAreNotRetryable() {
    assertThat(classifier.classify(new NonRetryableException("bad order")))
        .isEqualTo(NON_RETRYABLE);
    assertThat(classifier.classify(new IllegalArgumentException("bad id")))
        .isEqualTo(NON_RETRYABLE);
  }

  @Test
  void aWrappedStatusIsClassifiedByTheStatus() {
    assertThat(
            classifier.classify(new CompletionException(new HttpStatusException(404, "missing"))))
        .isEqualTo(NON_RETRYABLE);
    assertThat(
            classifier.classify(new RuntimeException(new HttpStatusException(503, "unavailable"))))
        .isEqualTo(RETRYABLE);
  }
}
