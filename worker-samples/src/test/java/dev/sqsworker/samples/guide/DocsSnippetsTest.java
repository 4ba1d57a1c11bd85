package dev.sqsworker.samples.guide;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Keeps the docs honest: every code block marked {@code <!-- snippet: FILE#NAME -->} must equal the
 * region {@code // snippet:NAME} … {@code // end:NAME} of that compiled source file, and the
 * configuration reference must name every environment variable the code reads.
 */
class DocsSnippetsTest {

  private static final Pattern MARKER =
      Pattern.compile(
          "<!-- snippet: ([^#\\s]+)#([\\w-]+) -->\\n```java\\n(.*?)\\n```", Pattern.DOTALL);

  private static Path root() {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null && !Files.isDirectory(dir.resolve("docs"))) {
      dir = dir.getParent();
    }
    if (dir == null) {
      throw new IllegalStateException("no docs folder above " + Path.of("").toAbsolutePath());
    }
    return dir;
  }

  @Test
  void everyMarkedExampleMatchesItsCompiledSource() throws IOException {
    Path root = root();
    List<String> mismatches = new ArrayList<>();
    int checked = 0;
    List<Path> documents = new ArrayList<>();
    documents.add(root.resolve("README.md"));
    try (Stream<Path> docs = Files.list(root.resolve("docs"))) {
      documents.addAll(docs.filter(p -> p.toString().endsWith(".md")).toList());
    }
    {
      for (Path doc : documents) {
        Matcher m = MARKER.matcher(Files.readString(doc));
        while (m.find()) {
          checked++;
          String expected = region(root.resolve(m.group(1)), m.group(2));
          if (!expected.equals(m.group(3))) {
            mismatches.add(doc.getFileName() + ": " + m.group(1) + "#" + m.group(2));
          }
        }
      }
    }
    assertThat(checked).as("marked examples found").isGreaterThanOrEqualTo(5);
    assertThat(mismatches).as("examples that differ from their source").isEmpty();
  }

  @Test
  void theConfigurationReferenceNamesEveryVariable() throws IOException {
    Path root = root();
    String code =
        Files.readString(
            root.resolve("worker-core/src/main/java/dev/sqsworker/core/WorkerConfig.java"));
    String guide = Files.readString(root.resolve("docs/guide.md"));
    TreeSet<String> missing = new TreeSet<>();
    Matcher m = Pattern.compile("\"(SQSWORKER_[A-Z_]+)\"").matcher(code);
    while (m.find()) {
      if (!guide.contains("`" + m.group(1) + "`")) {
        missing.add(m.group(1));
      }
    }
    assertThat(missing).as("variables read by WorkerConfig but missing from the guide").isEmpty();
  }

  /**
   * The README's {@code <dependency>} blocks name modules that exist, in the project's group, and a
   * version, where one is given, that is the project's: a user who copies one gets an artifact the
   * build really makes.
   */
  @Test
  void theReadmesDependencyBlocksNameRealModules() throws IOException {
    Path root = root();
    String readme = Files.readString(root.resolve("README.md"));
    String version = projectVersion(Files.readString(root.resolve("pom.xml")));
    Matcher m =
        Pattern.compile(
                "<dependency>\\s*(?:<!--.*?-->\\s*)?<groupId>dev\\.sqsworker</groupId>\\s*"
                    + "<artifactId>([^<]+)</artifactId>(?:\\s*<version>([^<]+)</version>)?")
            .matcher(readme);
    List<String> modules = new ArrayList<>();
    while (m.find()) {
      modules.add(m.group(1));
      assertThat(root.resolve(m.group(1)).resolve("pom.xml")).as(m.group(1)).isRegularFile();
      if (m.group(2) != null) {
        assertThat(m.group(2)).as(m.group(1) + "'s version").isEqualTo(version);
      }
    }
    assertThat(modules).contains("worker-bom", "worker-core", "worker-testkit");
  }

  private static String projectVersion(String pom) {
    Matcher m =
        Pattern.compile("<artifactId>sqs-worker-parent</artifactId>\\s*<version>([^<]+)</version>")
            .matcher(pom);
    assertThat(m.find()).as("the parent's version").isTrue();
    return m.group(1);
  }

  /** The lines between the markers, with their common indentation removed. */
  static String region(Path file, String name) throws IOException {
    List<String> lines = Files.readAllLines(file);
    int start = -1;
    int end = -1;
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i).trim();
      if (line.equals("// snippet:" + name)) {
        start = i + 1;
      } else if (line.equals("// end:" + name) && start >= 0) {
        end = i;
        break;
      }
    }
    if (start < 0 || end < 0) {
      throw new IllegalStateException("no snippet '" + name + "' in " + file);
    }
    List<String> body = lines.subList(start, end);
    int indent =
        body.stream()
            .filter(l -> !l.isBlank())
            .mapToInt(l -> l.length() - l.stripLeading().length())
            .min()
            .orElse(0);
    return String.join(
        "\n", body.stream().map(l -> l.isBlank() ? "" : l.substring(indent)).toList());
  }
}
