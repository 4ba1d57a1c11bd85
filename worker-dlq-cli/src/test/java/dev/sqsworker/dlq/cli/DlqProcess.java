package dev.sqsworker.dlq.cli;

import dev.sqsworker.testkit.LocalSqs;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Starts the {@code dlq} program as a separate operating-system process. */
final class DlqProcess {

  private DlqProcess() {}

  /** {@code java -cp <this test's classpath> DlqMain <endpoint options> args}. */
  static Process java(LocalSqs sqs, Path output, String... args) throws IOException {
    List<String> command = new ArrayList<>();
    if (sigintIgnored()) {
      // Started in the background by a shell without job control, this JVM (and so its children)
      // ignore SIGINT, and a JVM that starts so never handles it: give the child the default back.
      command.addAll(List.of("env", "--default-signal=INT"));
    }
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(DlqMain.class.getName());
    command.addAll(endpointOptions(sqs));
    command.addAll(List.of(args));
    return start(sqs, command, output);
  }

  /** The {@code bin/dlq} script of this checkout. */
  static Process script(LocalSqs sqs, Path output, String... args) throws IOException {
    return script(sqs, output, java.util.Map.of(), args);
  }

  /** The {@code bin/dlq} script of this checkout, with more environment variables. */
  static Process script(
      LocalSqs sqs, Path output, java.util.Map<String, String> environment, String... args)
      throws IOException {
    Path moduleDir = Path.of(System.getProperty("dlq.moduleDir", "."));
    List<String> command = new ArrayList<>();
    command.add(moduleDir.resolve("../bin/dlq").normalize().toString());
    command.addAll(endpointOptions(sqs));
    command.addAll(List.of(args));
    return start(sqs, command, output, environment);
  }

  /** Whether this process ignores SIGINT (Linux: bit 2 of SigIgn in /proc/self/status). */
  private static boolean sigintIgnored() {
    Path status = Path.of("/proc/self/status");
    if (!Files.isReadable(status)) {
      return false;
    }
    try {
      return Files.readAllLines(status).stream()
          .filter(line -> line.startsWith("SigIgn:"))
          .map(line -> Long.parseUnsignedLong(line.substring("SigIgn:".length()).trim(), 16))
          .anyMatch(mask -> (mask & 0x2) != 0);
    } catch (IOException | NumberFormatException e) {
      return false;
    }
  }

  /** What the process printed: standard output, then standard error. */
  static String read(Path output) throws IOException {
    return Files.readString(output) + Files.readString(errorsOf(output));
  }

  /** Only its standard output. */
  static String stdout(Path output) throws IOException {
    return Files.readString(output);
  }

  private static Path errorsOf(Path output) {
    return output.resolveSibling(output.getFileName() + ".err");
  }

  private static List<String> endpointOptions(LocalSqs sqs) {
    return List.of(
        "--endpoint-url=" + sqs.endpoint().uri(),
        "--region=" + sqs.endpoint().region(),
        "--wait-time=0s");
  }

  private static Process start(LocalSqs sqs, List<String> command, Path output) throws IOException {
    return start(sqs, command, output, java.util.Map.of());
  }

  private static Process start(
      LocalSqs sqs, List<String> command, Path output, java.util.Map<String, String> environment)
      throws IOException {
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().putAll(environment);
    builder.environment().put("AWS_ACCESS_KEY_ID", sqs.endpoint().accessKeyId());
    builder.environment().put("AWS_SECRET_ACCESS_KEY", sqs.endpoint().secretAccessKey());
    builder.redirectOutput(output.toFile());
    builder.redirectError(errorsOf(output).toFile());
    builder.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    return builder.start();
  }
}
