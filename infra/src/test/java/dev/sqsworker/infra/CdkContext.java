package dev.sqsworker.infra;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The context of {@code cdk.json} (the recommended feature flags), which the CDK CLI gives every
 * synthesis: the tests synthesize with it too, so they check the template that is deployed.
 */
final class CdkContext {

  private static final ObjectMapper JSON = new ObjectMapper();

  private CdkContext() {}

  /** The {@code context} of {@code cdk.json}, plus {@code extra}. */
  @SuppressWarnings("unchecked")
  static Map<String, Object> withFlags(Map<String, Object> extra) {
    try {
      Map<String, Object> cdk = JSON.readValue(Path.of("cdk.json").toFile(), Map.class);
      Map<String, Object> context =
          new LinkedHashMap<>((Map<String, Object>) cdk.getOrDefault("context", Map.of()));
      context.putAll(extra);
      return context;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read cdk.json", e);
    }
  }

  /** The {@code context} of {@code cdk.json}. */
  static Map<String, Object> flags() {
    return withFlags(Map.of());
  }
}
