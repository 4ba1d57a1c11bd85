package dev.sqsworker.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The deployment guide's table of process variables names exactly what the entry point reads. */
class DeployGuideTest {

  static final Path GUIDE = Path.of("..", "docs", "deploy-ecs.md");
  static final Pattern FIRST_CELL = Pattern.compile("^\\| `([A-Z0-9_]+)` \\|");

  @Test
  void processVariablesTableListsEveryVariableInOrder() throws IOException {
    List<String> lines = Files.readAllLines(GUIDE);
    int start = lines.indexOf("### Process variables");
    assertThat(start).as("heading in %s", GUIDE).isNotNegative();
    List<String> names = new ArrayList<>();
    for (String line : lines.subList(start + 1, lines.size())) {
      if (line.startsWith("#")) {
        break;
      }
      Matcher m = FIRST_CELL.matcher(line);
      if (m.find()) {
        names.add(m.group(1));
      }
    }
    assertThat(names).containsExactlyElementsOf(EnvironmentVariables.ALL);
  }
}
