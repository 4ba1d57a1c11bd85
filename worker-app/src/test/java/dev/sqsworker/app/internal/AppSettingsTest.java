package dev.sqsworker.app.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.sqsworker.core.ConfigurationException;
import dev.sqsworker.core.MessageContext;
import dev.sqsworker.core.MessageHandler;
import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

class AppSettingsTest {

  static final String QUEUE = "http://localhost:9324/000000000000/orders";

  /** Payload of the test handlers. */
  public record Order(String id) {}

  /** A handler with a no-argument constructor. */
  public static class PlainHandler implements MessageHandler<Order> {
    @Override
    public void handle(Order payload, MessageContext context) {}
  }

  /** A handler that only takes a data source. */
  public static class DatabaseHandler implements MessageHandler<Order> {
    /** Creates it. */
    public DatabaseHandler(DataSource dataSource) {}

    @Override
    public void handle(Order payload, MessageContext context) {}
  }

  /** A handler of a generic payload type. */
  public static class BatchHandler implements MessageHandler<List<Order>> {
    @Override
    public void handle(List<Order> payload, MessageContext context) {}
  }

  /** A subclass that inherits its payload type. */
  public static class SubHandler extends PlainHandler {}

  /** Leaves the payload type open. */
  public static class OpenHandler<T> implements MessageHandler<T> {
    @Override
    public void handle(T payload, MessageContext context) {}
  }

  /** Not a handler at all. */
  public static class NotAHandler {}

  static Map<String, String> valid() {
    Map<String, String> env = new HashMap<>();
    env.put("SQSWORKER_QUEUE_URL", QUEUE);
    env.put("SQSWORKER_HANDLER_CLASS", PlainHandler.class.getName());
    env.put("AWS_REGION", "eu-west-1");
    return env;
  }

  @Test
  void readsAMinimalEnvironmentWithDefaults() {
    AppSettings settings = AppSettings.fromEnvironment(valid());
    assertThat(settings.worker().queueUrl()).isEqualTo(QUEUE);
    assertThat(settings.handler().handlerClass()).isEqualTo(PlainHandler.class);
    assertThat(settings.handler().payloadType().getRawClass()).isEqualTo(Order.class);
    assertThat(settings.httpPort()).isEqualTo(8080);
    assertThat(settings.jdbc()).isEmpty();
    assertThat(settings.sqsEndpoint()).isEmpty();
    assertThat(settings.credentials()).isEmpty();
    assertThat(settings.ecsAgentUri()).isEmpty();
  }

  @Test
  void readsEverySetting() {
    Map<String, String> env = valid();
    env.put("SQSWORKER_HANDLER_CLASS", DatabaseHandler.class.getName());
    env.put("SQSWORKER_CONCURRENCY", "16");
    env.put("SQSWORKER_VISIBILITY_TIMEOUT", "PT45S");
    env.put("SQSWORKER_JDBC_URL", "jdbc:postgresql://db:5432/orders");
    env.put("SQSWORKER_JDBC_USER", "worker");
    env.put("SQSWORKER_JDBC_PASSWORD", "secret");
    env.put("SQSWORKER_HTTP_PORT", "0");
    env.put("AWS_ENDPOINT_URL", "http://localhost:4566");
    env.put("AWS_ENDPOINT_URL_SQS", "http://localhost:9324");
    env.put("AWS_ACCESS_KEY_ID", "x");
    env.put("AWS_SECRET_ACCESS_KEY", "y");
    env.put("ECS_AGENT_URI", "http://169.254.170.2/api/abc-123");

    AppSettings settings = AppSettings.fromEnvironment(env);

    assertThat(settings.worker().concurrency()).isEqualTo(16);
    assertThat(settings.worker().visibilityTimeout()).isEqualTo(Duration.ofSeconds(45));
    assertThat(settings.handler().dataSourceConstructor()).isPresent();
    assertThat(settings.jdbc())
        .hasValueSatisfying(
            jdbc -> {
              assertThat(jdbc.url()).isEqualTo("jdbc:postgresql://db:5432/orders");
              assertThat(jdbc.user()).isEqualTo("worker");
              assertThat(jdbc.password()).contains("secret");
              assertThat(jdbc.poolSize()).isEqualTo(18);
              assertThat(jdbc.toString()).doesNotContain("secret");
            });
    assertThat(settings.httpPort()).isZero();
    assertThat(settings.sqsEndpoint()).contains(URI.create("http://localhost:9324"));
    // S3 has no own override here: the shared one.
    assertThat(settings.s3Endpoint()).contains(URI.create("http://localhost:4566"));
    assertThat(settings.credentials())
        .hasValueSatisfying(c -> assertThat(c.toString()).doesNotContain("y}"));
    assertThat(settings.ecsAgentUri()).contains(URI.create("http://169.254.170.2/api/abc-123"));
  }

  @Test
  void largePayloads_s3EndpointOverridesTheSharedOne_andTheBucketVariableIsTheWorkersOwn() {
    Map<String, String> env = valid();
    env.remove("SQSWORKER_QUEUE_URL");
    env.put("AWS_ENDPOINT_URL", "http://localhost:4566");
    env.put("AWS_ENDPOINT_URL_S3", "http://localhost:9090");
    env.put("SQSWORKER_WORKERS", "orders,refunds");
    env.put("SQSWORKER_ORDERS_QUEUE_URL", QUEUE);
    env.put("SQSWORKER_REFUNDS_QUEUE_URL", QUEUE + "-refunds");
    env.put("SQSWORKER_LARGE_PAYLOAD_BUCKET", "shared-payloads");
    env.put("SQSWORKER_REFUNDS_LARGE_PAYLOAD_BUCKET", "refund-payloads");

    AppSettings settings = AppSettings.fromEnvironment(env);

    assertThat(settings.s3Endpoint()).contains(URI.create("http://localhost:9090"));
    assertThat(settings.sqsEndpoint()).contains(URI.create("http://localhost:4566"));
    assertThat(settings.largePayloads()).isTrue();
    assertThat(settings.workers())
        .extracting(
            w -> w.worker().largePayloadBucket().orElseThrow(), w -> w.largePayloadVariable())
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(
                "shared-payloads", "SQSWORKER_LARGE_PAYLOAD_BUCKET"),
            org.assertj.core.groups.Tuple.tuple(
                "refund-payloads", "SQSWORKER_REFUNDS_LARGE_PAYLOAD_BUCKET"));
    assertThat(AppSettings.fromEnvironment(valid()).largePayloads()).isFalse();
  }

  @Test
  void listsEveryProblemTogether_theWorkerOptionsIncluded() {
    Map<String, String> env = new HashMap<>();
    env.put("SQSWORKER_CONCURRENCY", "0");
    env.put("SQSWORKER_MAX_ATTEMPTS", "many");
    env.put("SQSWORKER_HTTP_PORT", "70000");
    env.put("SQSWORKER_JDBC_URL", "jdbc:mysql://db/orders");
    env.put("SQSWORKER_JDBC_POOL_SIZE", "lots");
    env.put("AWS_ENDPOINT_URL", "localhost:4566");
    env.put("AWS_ACCESS_KEY_ID", "x");
    env.put("ECS_AGENT_URI", "not a uri");
    env.put("SQSWORKER_SCALE_IN_PROTECTION", "maybe");

    ConfigurationException e =
        catchThrowableOfType(ConfigurationException.class, () -> AppSettings.fromEnvironment(env));

    assertThat(e.problems())
        .hasSize(13)
        .anySatisfy(p -> assertThat(p).startsWith("SQSWORKER_CONCURRENCY: "))
        .anySatisfy(p -> assertThat(p).startsWith("SQSWORKER_MAX_ATTEMPTS: "))
        .anySatisfy(p -> assertThat(p).contains("SQSWORKER_QUEUE_URL) is required"))
        .anySatisfy(p -> assertThat(p).startsWith("SQSWORKER_HANDLER_CLASS is required"))
        .anySatisfy(p -> assertThat(p).startsWith("AWS_REGION is required"))
        .anySatisfy(
            p -> assertThat(p).startsWith("SQSWORKER_HTTP_PORT must be between 0 and 65535"))
        .anySatisfy(p -> assertThat(p).startsWith("SQSWORKER_JDBC_URL must be a PostgreSQL"))
        .anySatisfy(p -> assertThat(p).startsWith("SQSWORKER_JDBC_USER is required"))
        .anySatisfy(p -> assertThat(p).startsWith("SQSWORKER_JDBC_POOL_SIZE: 'lots'"))
        .anySatisfy(p -> assertThat(p).startsWith("AWS_ENDPOINT_URL must be an http(s) URL"))
        .anySatisfy(p -> assertThat(p).contains("must be set together"))
        .anySatisfy(p -> assertThat(p).startsWith("ECS_AGENT_URI must be an http(s) URL"))
        .anySatisfy(p -> assertThat(p).startsWith("SQSWORKER_SCALE_IN_PROTECTION must be"));
    assertThat(e.getMessage()).startsWith("Invalid worker configuration (13 problems):");
  }

  @Test
  void jdbcDetailsWithoutAUrlAreAProblem() {
    Map<String, String> env = valid();
    env.put("SQSWORKER_JDBC_USER", "worker");
    assertThatThrownBy(() -> AppSettings.fromEnvironment(env))
        .hasMessage("SQSWORKER_JDBC_USER is set but SQSWORKER_JDBC_URL is not");
  }

  @Test
  void scaleInProtectionCanBeTurnedOff() {
    Map<String, String> env = valid();
    env.put("ECS_AGENT_URI", "http://169.254.170.2/api/abc");
    env.put("SQSWORKER_SCALE_IN_PROTECTION", "false");
    assertThat(AppSettings.fromEnvironment(env).ecsAgentUri()).isEmpty();
  }

  @Test
  void handlerClassProblemsNameTheClassAndTheFix() {
    assertThat(handlerProblem("com.example.Missing"))
        .isEqualTo(
            "SQSWORKER_HANDLER_CLASS: no class named 'com.example.Missing' on the classpath");
    assertThat(handlerProblem(NotAHandler.class.getName()))
        .endsWith("does not implement dev.sqsworker.core.MessageHandler");
    assertThat(handlerProblem(OpenHandler.class.getName()))
        .contains("cannot determine the payload type of " + OpenHandler.class.getName())
        .contains("implements MessageHandler<Order>");
    assertThat(handlerProblem(DatabaseHandler.class.getName()))
        .contains("takes a DataSource: set SQSWORKER_JDBC_URL");
  }

  @Test
  void readsGenericAndInheritedPayloadTypes() {
    var batch = HandlerType.load(BatchHandler.class.getName(), false);
    assertThat(batch.payloadType().getRawClass()).isEqualTo(List.class);
    assertThat(batch.payloadType().getContentType().getRawClass()).isEqualTo(Order.class);
    assertThat(HandlerType.load(SubHandler.class.getName(), false).payloadType().getRawClass())
        .isEqualTo(Order.class);
  }

  @Test
  void createsTheHandlerWithTheDataSourceWhenJdbcIsConfigured() {
    var type = HandlerType.load(DatabaseHandler.class.getName(), true);
    assertThat(type.instantiate(Optional.of(new org.postgresql.ds.PGSimpleDataSource())))
        .isInstanceOf(DatabaseHandler.class);
    assertThat(HandlerType.load(PlainHandler.class.getName(), true).instantiate(Optional.empty()))
        .isInstanceOf(PlainHandler.class);
  }

  private static String handlerProblem(String className) {
    Map<String, String> env = valid();
    env.put("SQSWORKER_HANDLER_CLASS", className);
    return catchThrowableOfType(
            ConfigurationException.class, () -> AppSettings.fromEnvironment(env))
        .problems()
        .get(0);
  }
}
