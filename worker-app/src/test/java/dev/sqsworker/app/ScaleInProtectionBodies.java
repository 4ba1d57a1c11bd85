package dev.sqsworker.app;

/** The request bodies the application sends the ECS agent with its default settings. */
final class ScaleInProtectionBodies {
  static final String PROTECT = "{\"ProtectionEnabled\":true,\"ExpiresInMinutes\":10}";
  static final String RELEASE = "{\"ProtectionEnabled\":false}";

  private ScaleInProtectionBodies() {}
}
