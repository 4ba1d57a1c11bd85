package dev.sqsworker.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sqsworker.testkit.BinScript;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code bin/bench} itself, on its own runtime classpath, in its own process. */
class BenchScriptIT {

  @Test
  void redrawsTheChartOfTheCommittedResults(@TempDir Path work) throws Exception {
    Path results = BinScript.projectRoot().resolve("docs/bench/results.json");
    Path chart = work.resolve("chart.png");
    Process process =
        BinScript.command("bench", "--replot", results.toString(), chart.toString())
            .redirectErrorStream(true)
            .redirectOutput(work.resolve("out").toFile())
            .start();
    assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
    String out = Files.readString(work.resolve("out"));
    assertThat(process.exitValue()).as(out).isZero();
    assertThat(out).contains("wrote " + chart);
    assertThat(Files.size(chart)).isPositive();
  }

  @Test
  void rejectsAnUnknownOptionWithItsUsage(@TempDir Path work) throws Exception {
    Process process =
        BinScript.command("bench", "--fastest")
            .redirectErrorStream(true)
            .redirectOutput(work.resolve("out").toFile())
            .start();
    assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
    String out = Files.readString(work.resolve("out"));
    assertThat(process.exitValue()).as(out).isEqualTo(2);
    assertThat(out).contains("bench: ").contains("usage");
  }
}
