package dev.sqsworker.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sqsworker.infra.internal.ContextConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.services.logs.RetentionDays;

class ContextConfigTest {

  static Map<String, Object> worker(String name) {
    var w = new HashMap<String, Object>();
    w.put("workerName", name);
    w.put("image", "ghcr.io/acme/" + name + ":1");
    w.put("handlerClass", "com.acme.Handler");
    w.put("jdbcUrl", "jdbc:postgresql://db:5432/app");
    w.put("jdbcUser", "app");
    w.put("dbPasswordSecretArn", TestWorkers.SECRET_ARN);
    return w;
  }

  static WorkerStackProps read(Map<String, Object> context) {
    return ContextConfig.read(context::get).stackProps(StackProps.builder().build());
  }

  @Test
  void readsEveryOptionInItsNaturalType() {
    var w = worker("orders");
    w.put("fifo", true);
    w.put("concurrency", 16.0); // numbers can arrive from JSON as doubles
    w.put("maxAttempts", "4");
    w.put("visibilityTimeout", "PT2M");
    w.put("shutdownGrace", "PT40S");
    w.put("artifactEncryption", "kms-managed");
    w.put("logRetention", "ONE_WEEK");
    w.put("cpuArchitecture", "arm64");
    w.put("healthCheckCommand", List.of("CMD", "/bin/check"));

    var props = read(Map.of("workers", List.of(w), "maxAzs", 3)).workers().get(0);

    assertThat(props.fifo()).isTrue();
    assertThat(props.concurrency()).isEqualTo(16);
    assertThat(props.maxAttempts()).isEqualTo(4);
    assertThat(props.visibilityTimeout()).isEqualTo(Duration.ofMinutes(2));
    assertThat(props.shutdownGrace()).isEqualTo(Duration.ofSeconds(40));
    assertThat(props.artifactEncryption()).isEqualTo(ArtifactEncryption.KMS_MANAGED);
    assertThat(props.logRetention()).isEqualTo(RetentionDays.ONE_WEEK);
    assertThat(props.cpuArchitecture()).isEqualTo(CpuArchitecture.ARM64);
    assertThat(props.healthCheckCommand()).containsExactly("CMD", "/bin/check");
  }

  @Test
  void acceptsWorkersAsAJsonString() {
    var json =
        "[{\"workerName\":\"orders\",\"ecrRepository\":\"acme/orders\",\"imageTag\":\"7\","
            + "\"handlerClass\":\"com.acme.H\",\"jdbcUrl\":\"jdbc:postgresql://db/x\","
            + "\"jdbcUser\":\"u\",\"dbPasswordSecretArn\":\""
            + TestWorkers.SECRET_ARN
            + "\"}]";

    var props = read(Map.of("workers", json)).workers().get(0);

    assertThat(props.image()).isEqualTo(WorkerImage.fromEcr("acme/orders", "7"));
  }

  @Test
  void reportsEveryProblemAtOnceNamingWorkerAndKey() {
    var bad = worker("orders");
    bad.put("maxAttempts", 0);
    bad.put("visibilityTimeout", "30s");
    bad.put("concurrncy", 5);
    bad.put("cpuArchitecture", "sparc");
    var noImage = worker("invoices");
    noImage.remove("image");
    noImage.remove("jdbcUser");

    assertThatThrownBy(() -> read(Map.of("workers", List.of(bad, noImage), "natGateways", "one")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("natGateways must be a whole number, was one")
        .hasMessageContaining("workers[0] (orders): unknown keys [concurrncy]")
        .hasMessageContaining("workers[0] (orders): maxAttempts must be between 1 and 100, was 0")
        .hasMessageContaining(
            "workers[0] (orders): visibilityTimeout: must be an ISO-8601 duration such as PT30S")
        .hasMessageContaining(
            "workers[0] (orders): cpuArchitecture: must be one of [X86_64, ARM64] (was sparc)")
        .hasMessageContaining("workers[1] (invoices): image: set either image, or ecrRepository")
        .hasMessageContaining("workers[1] (invoices): invalid worker service props")
        .hasMessageContaining("jdbcUser is required");
  }

  @Test
  void requiresWorkers() {
    assertThatThrownBy(() -> read(Map.of()))
        .hasMessageContaining("workers is required: a list of worker objects");
  }

  @Test
  void stackRulesAreCheckedWhenRead() {
    assertThatThrownBy(() -> read(Map.of("workers", List.of(worker("a"), worker("a")))))
        .hasMessageContaining("workers must have distinct names, 'a' appears twice");
  }

  @Test
  void configFileSuppliesKeysThatContextDoesNotSet(@TempDir Path dir) throws Exception {
    var file = dir.resolve("prod.json");
    Files.writeString(
        file,
        "{\"stackName\":\"from-file\",\"vpcId\":\"vpc-0123abcd\",\"workers\":"
            + "[{\"workerName\":\"w\",\"image\":\"i:1\",\"handlerClass\":\"a.B\","
            + "\"jdbcUrl\":\"jdbc:postgresql://d/x\",\"jdbcUser\":\"u\","
            + "\"dbPasswordSecretArn\":\""
            + TestWorkers.SECRET_ARN
            + "\"}]}");
    Map<String, Object> context = Map.of("config", file.toString(), "stackName", "from-cli");

    var config = ContextConfig.read(ContextConfig.withConfigFile(context::get));

    assertThat(config.stackName()).contains("from-cli");
    var props = config.stackProps(StackProps.builder().build());
    assertThat(props.vpcId()).contains("vpc-0123abcd");
    assertThat(props.workers()).extracting(WorkerServiceProps::workerName).containsExactly("w");
  }

  @Test
  void unreadableConfigFileIsNamed(@TempDir Path dir) {
    Map<String, Object> context = Map.of("config", dir.resolve("missing.json").toString());
    assertThatThrownBy(() -> ContextConfig.withConfigFile(context::get))
        .hasMessageContaining("config must name a readable JSON file")
        .hasMessageContaining("missing.json");
  }
}
