package dev.sqsworker.samples.guide;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** worker-bom lines up every published module, at the project's version. */
class BomTest {

  /** Modules that are run or read, not depended on. */
  static final Set<String> UNPUBLISHED =
      Set.of(
          "worker-bom",
          "worker-samples",
          "worker-demo",
          "worker-spring-sample",
          "worker-bench",
          "infra");

  @Test
  void theBomManagesEveryPublishedModuleAtTheProjectsVersion() throws IOException {
    Path root = Path.of("").toAbsolutePath().getParent();
    String parent = Files.readString(root.resolve("pom.xml"));
    String bom = Files.readString(root.resolve("worker-bom/pom.xml"));
    List<String> published = new ArrayList<>();
    Matcher module = Pattern.compile("<module>([^<]+)</module>").matcher(parent);
    while (module.find()) {
      if (!UNPUBLISHED.contains(module.group(1))) {
        published.add(module.group(1));
      }
    }
    Matcher version =
        Pattern.compile("<artifactId>sqs-worker-parent</artifactId>\\s*<version>([^<]+)</version>")
            .matcher(parent);
    assertThat(version.find()).isTrue();
    List<String> managed = new ArrayList<>();
    Matcher entry =
        Pattern.compile(
                "<groupId>dev\\.sqsworker</groupId>\\s*<artifactId>([^<]+)</artifactId>\\s*"
                    + "<version>([^<]+)</version>")
            .matcher(bom.substring(bom.indexOf("<dependencyManagement>", bom.indexOf("-->"))));
    while (entry.find()) {
      managed.add(entry.group(1));
      assertThat(entry.group(2)).as(entry.group(1)).isEqualTo(version.group(1));
    }
    assertThat(published).isNotEmpty();
    assertThat(managed).containsExactlyInAnyOrderElementsOf(published);
  }
}
