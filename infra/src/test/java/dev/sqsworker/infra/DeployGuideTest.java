package dev.sqsworker.infra;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sqsworker.infra.internal.ContextConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The deployment guide's reference tables name exactly what the code reads and sets. */
class DeployGuideTest {

  static final Path GUIDE = Path.of("..", "docs", "deploy-ecs.md");
  static final Pattern CODE = Pattern.compile("`([A-Za-z_][A-Za-z0-9_]*)`");

  static List<String> lines;

  @BeforeAll
  static void read() throws IOException {
    lines = Files.readAllLines(GUIDE);
  }

  /** Names in backticks in the first column of the table rows under {@code heading}. */
  static Set<String> firstColumnNames(String heading) {
    var start = lines.indexOf(heading);
    assertThat(start).as("heading %s in %s", heading, GUIDE).isNotNegative();
    var names = new LinkedHashSet<String>();
    for (var line : lines.subList(start + 1, lines.size())) {
      if (line.startsWith("#")) {
        break;
      }
      if (line.startsWith("| `")) {
        var firstCell = line.substring(1, line.indexOf('|', 1));
        var matcher = CODE.matcher(firstCell);
        while (matcher.find()) {
          names.add(matcher.group(1));
        }
      }
    }
    return names;
  }

  @Test
  void environmentTableListsExactlyTheContainersVariables() {
    assertThat(firstColumnNames("## Environment variables"))
        .containsExactlyElementsOf(WorkerEnvironment.ALL_IN_GUIDE_ORDER);
  }

  @Test
  void workerKeysTableListsExactlyTheKeysTheAppReads() {
    assertThat(firstColumnNames("### Worker keys"))
        .containsExactlyInAnyOrderElementsOf(ContextConfig.WORKER_KEYS);
  }

  @Test
  void stackKeysTableListsEveryStackKeyButConfig() {
    var documented = firstColumnNames("### Stack keys");
    assertThat(documented).doesNotContain("config");
    assertThat(documented)
        .containsExactlyInAnyOrderElementsOf(
            ContextConfig.STACK_KEYS.stream().filter(k -> !k.equals("config")).toList());
  }
}
