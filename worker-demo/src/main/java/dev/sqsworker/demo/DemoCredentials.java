package dev.sqsworker.demo;

import dev.sqsworker.testkit.LocalPostgres;
import java.util.Map;

/**
 * The credentials the demo's clients use, from the variables a deployed worker reads: {@code
 * SQSWORKER_JDBC_PASSWORD} for the database pool, {@value #URL_PASSWORD} inside the JDBC URL's
 * query string, {@code AWS_ACCESS_KEY_ID} and {@code AWS_SECRET_ACCESS_KEY} for the worker's SQS
 * client. The embedded servers accept any (PostgreSQL trusts local connections), so they are there
 * to show, and test, that no secret reaches the demo's output.
 *
 * @param jdbcPassword the pool's password
 * @param jdbcUrlPassword a password in the JDBC URL's query string, or null for none
 * @param awsAccessKeyId the SQS client's access key id, or null for the embedded server's
 * @param awsSecretAccessKey the SQS client's secret key, or null for the embedded server's
 */
record DemoCredentials(
    String jdbcPassword, String jdbcUrlPassword, String awsAccessKeyId, String awsSecretAccessKey) {

  /** The variable of the password the demo puts in its JDBC URL's query string. */
  static final String URL_PASSWORD = "SQSWORKER_DEMO_JDBC_URL_PASSWORD";

  /** The embedded servers' own credentials. */
  static final DemoCredentials DEFAULT =
      new DemoCredentials(LocalPostgres.PASSWORD, null, null, null);

  static DemoCredentials fromEnvironment(Map<String, String> env) {
    String key = blankToNull(env.get("AWS_ACCESS_KEY_ID"));
    String secret = blankToNull(env.get("AWS_SECRET_ACCESS_KEY"));
    String password = blankToNull(env.get("SQSWORKER_JDBC_PASSWORD"));
    return new DemoCredentials(
        password != null ? password : LocalPostgres.PASSWORD,
        blankToNull(env.get(URL_PASSWORD)),
        key != null && secret != null ? key : null,
        key != null && secret != null ? secret : null);
  }

  private static String blankToNull(String value) {
    return value == null || value.isBlank() ? null : value;
  }

  /** The JDBC URL with the query-string password, if any. */
  String jdbcUrl(String url) {
    if (jdbcUrlPassword == null) {
      return url;
    }
    return url
        + (url.contains("?") ? "&" : "?")
        + "password="
        + java.net.URLEncoder.encode(jdbcUrlPassword, java.nio.charset.StandardCharsets.UTF_8);
  }

  @Override
  public String toString() {
    // Never the values: this record holds secrets.
    return "DemoCredentials[redacted]";
  }
}
