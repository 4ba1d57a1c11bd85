package dev.sqsworker.app.internal;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * Sets and clears a task's scale-in protection through the ECS agent's endpoint: {@code PUT
 * ${ECS_AGENT_URI}/task-protection/v1/state} with {@code {"ProtectionEnabled":true,
 * "ExpiresInMinutes":N}} or {@code {"ProtectionEnabled":false}}.
 */
public final class EcsTaskProtectionClient {

  private static final Duration TIMEOUT = Duration.ofSeconds(5);

  private final URI stateUri;
  private final HttpClient http;

  /** A client for the agent at {@code agentUri} (the task's {@code ECS_AGENT_URI}). */
  public EcsTaskProtectionClient(URI agentUri) {
    String base = agentUri.toString();
    this.stateUri =
        URI.create((base.endsWith("/") ? base : base + "/") + "task-protection/v1/state");
    this.http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
  }

  /** The endpoint's URI. */
  public URI stateUri() {
    return stateUri;
  }

  /** Protects the task for {@code minutes}. */
  public void protect(long minutes) throws IOException, InterruptedException {
    put("{\"ProtectionEnabled\":true,\"ExpiresInMinutes\":" + minutes + "}");
  }

  /** Removes the task's protection. */
  public void unprotect() throws IOException, InterruptedException {
    put("{\"ProtectionEnabled\":false}");
  }

  private void put(String body) throws IOException, InterruptedException {
    HttpRequest request =
        HttpRequest.newBuilder(stateUri)
            .timeout(TIMEOUT)
            .header("Content-Type", "application/json")
            .PUT(HttpRequest.BodyPublishers.ofString(body))
            .build();
    HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
    // The agent reports failures (e.g. a task role without ecs:UpdateTaskProtection) as an
    // "error" object, with a 4xx/5xx status.
    if (response.statusCode() / 100 != 2 || response.body().contains("\"error\"")) {
      throw new IOException(
          "ECS agent answered "
              + response.statusCode()
              + " to "
              + body
              + " at "
              + stateUri
              + ": "
              + response.body());
    }
  }
}
