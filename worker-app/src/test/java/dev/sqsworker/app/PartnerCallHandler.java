package dev.sqsworker.app;

import dev.sqsworker.core.MessageContext;
import dev.sqsworker.core.MessageHandler;
import dev.sqsworker.core.resilience.Downstream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * Calls the partner at {@code PARTNER_URL} once per message through the {@code partner} downstream
 * that {@link GlobalLimitWorkerMain} built, with the message body and this process's id.
 */
public final class PartnerCallHandler implements MessageHandler<String> {

  /** Set by {@link GlobalLimitWorkerMain} before the application is built. */
  static volatile Downstream partner;

  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private final URI url = URI.create(System.getenv("PARTNER_URL"));

  @Override
  public void handle(String body, MessageContext context) throws Exception {
    partner.run(
        () -> {
          HttpResponse<Void> response =
              HTTP.send(
                  HttpRequest.newBuilder(url)
                      .header("X-Message", body)
                      .header("X-Worker", String.valueOf(ProcessHandle.current().pid()))
                      .POST(HttpRequest.BodyPublishers.noBody())
                      .build(),
                  HttpResponse.BodyHandlers.discarding());
          if (response.statusCode() != 200) {
            throw new IllegalStateException("partner answered " + response.statusCode());
          }
        });
  }
}
