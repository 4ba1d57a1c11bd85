package dev.sqsworker.testkit;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * One of the project's {@code bin/} scripts, run as a user runs it: the script itself in its own
 * process, with its own classpath, from the checkout's root. Tests use it so that a classpath that
 * differs from what the code needs fails a test (a test classpath can hide a missing runtime
 * dependency; a script's real command line cannot).
 *
 * <p>The process gets {@value #SKIP_BUILD}{@code =1}: the scripts then use the build that is
 * running the tests instead of starting a Maven build of their own.
 */
public final class BinScript {

  /** The variable that makes a {@code bin/} script use the existing build as it is. */
  public static final String SKIP_BUILD = "SQSWORKER_SKIP_BUILD";

  private BinScript() {}

  /** The checkout's root: the nearest folder above the working directory with {@code bin/}. */
  public static Path projectRoot() {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null
        && !(Files.isDirectory(dir.resolve("bin")) && Files.isRegularFile(dir.resolve("mvnw")))) {
      dir = dir.getParent();
    }
    if (dir == null) {
      throw new IllegalStateException(
          "no folder with bin/ and mvnw above " + Path.of("").toAbsolutePath());
    }
    return dir;
  }

  /**
   * A process builder for {@code bin/<name> args...}, started in the project's root, with {@value
   * #SKIP_BUILD}{@code =1} in its environment.
   */
  public static ProcessBuilder command(String name, String... args) {
    Path root = projectRoot();
    Path script = root.resolve("bin").resolve(name);
    if (!Files.isExecutable(script)) {
      throw new IllegalArgumentException("no executable script " + script);
    }
    List<String> command = new ArrayList<>();
    command.add(script.toString());
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).directory(root.toFile());
    builder.environment().put(SKIP_BUILD, "1");
    return builder;
  }
}
