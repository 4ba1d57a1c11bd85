package dev.sqsworker.samples;

import dev.sqsworker.core.resilience.Downstream;
import dev.sqsworker.core.resilience.HttpStatusException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * A sample of a downstream call: asks a tax service over HTTP, through a {@link Downstream} (time
 * limit, rate limit, circuit breaker, short retries). When the service stays down the breaker
 * opens; the worker then parks the message and pauses polling instead of burning attempts.
 */
public final class TaxClient {

  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private final URI service;
  private final Downstream downstream;

  /** Creates the client for the tax service at {@code service}. */
  public TaxClient(URI service, Downstream downstream) {
    this.service = service;
    this.downstream = downstream;
  }

  /** The tax, in cents, on an order. */
  public long taxCents(OrderHandler.Order order) throws Exception {
    return downstream.call(
        () -> {
          HttpRequest request =
              HttpRequest.newBuilder(service.resolve("/tax?quantity=" + order.quantity()))
                  .timeout(Duration.ofSeconds(2))
                  .GET()
                  .build();
          HttpResponse<String> response =
              HttpStatusException.requireSuccess(
                  http.send(request, HttpResponse.BodyHandlers.ofString()));
          return Long.parseLong(response.body().trim());
        });
  }
}
