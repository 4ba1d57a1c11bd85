package dev.sqsworker.infra;

/** Test-data builders: workers with every required option set to plausible values. */
final class TestWorkers {

  static final String SECRET_ARN =
      "arn:aws:secretsmanager:eu-west-1:123456789012:secret:orders/db-password-AbC123";

  private TestWorkers() {}

  /** A worker named {@code name} with every required option set and the rest at defaults. */
  static WorkerServiceProps.Builder aWorker(String name) {
    return WorkerServiceProps.builder()
        .workerName(name)
        .image(WorkerImage.fromName("ghcr.io/acme/" + name + ":1.0.0"))
        .handlerClass("com.acme." + name.replace("-", "") + ".Handler")
        .jdbcUrl("jdbc:postgresql://db.internal:5432/" + name.replace("-", "_"))
        .jdbcUser(name.replace("-", "_"))
        .dbPasswordSecretArn(SECRET_ARN);
  }
}
