package dev.sqsworker.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;

/** Prints the figures as a table and writes them as JSON and as a PNG chart. */
final class Report {

  private final List<Figure> figures;
  private final BenchOptions options;

  Report(List<Figure> figures, BenchOptions options) {
    this.figures = figures;
    this.options = options;
  }

  void print(PrintStream out) {
    out.println();
    out.printf(
        "%-32s %12s %12s %12s  %-10s %-9s %s%n",
        "figure", "median", "min", "max", "unit", "target", "");
    out.println("-".repeat(100));
    for (Figure f : figures) {
      out.printf(
          Locale.ROOT,
          "%-32s %12.3f %12.3f %12.3f  %-10s %-9s %s%n",
          f.name(),
          f.stats().median(),
          f.stats().min(),
          f.stats().max(),
          f.unit(),
          f.target() == null ? "" : f.target(),
          f.met() == null ? "" : f.met() ? "met" : "MISSED");
    }
    out.println();
    out.println(machine().toString());
  }

  static Map<String, Object> machine() {
    Map<String, Object> machine = new LinkedHashMap<>();
    machine.put("cores", Runtime.getRuntime().availableProcessors());
    machine.put("maxHeapMb", Runtime.getRuntime().maxMemory() / (1024 * 1024));
    machine.put("java", System.getProperty("java.version"));
    machine.put("vm", ManagementFactory.getRuntimeMXBean().getVmName());
    machine.put("os", System.getProperty("os.name") + " " + System.getProperty("os.arch"));
    return machine;
  }

  void writeJson(Path file) throws IOException {
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("generatedAt", Instant.now().toString());
    doc.put("quick", options.quick());
    doc.put("rounds", options.rounds());
    doc.put("messages", options.messages());
    doc.put("machine", machine());
    doc.put("figures", figures);
    createParent(file);
    new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(file.toFile(), doc);
  }

  void writeChart(Path file) throws IOException {
    CategoryChart chart =
        new CategoryChartBuilder()
            .width(900)
            .height(500)
            .title("sqs-worker vs a bare SDK loop (embedded ElasticMQ, same run)")
            .xAxisTitle("scenario")
            .yAxisTitle("messages per second (median)")
            .build();
    chart.getStyler().setLegendVisible(false);
    chart.getStyler().setXAxisLabelRotation(20);
    List<String> names =
        figures.stream()
            .filter(f -> f.unit().equals("msg/s"))
            .map(f -> f.name().replace(".throughput", "").replace(".noop", ""))
            .toList();
    List<Double> values =
        figures.stream()
            .filter(f -> f.unit().equals("msg/s"))
            .map(f -> f.stats().median())
            .toList();
    if (names.isEmpty()) {
      return;
    }
    chart.addSeries("median", names, values);
    createParent(file);
    BitmapEncoder.saveBitmap(chart, file.toString(), BitmapEncoder.BitmapFormat.PNG);
  }

  /** Reads the figures of an earlier run's JSON, to draw its chart again. */
  static List<Figure> readFigures(Path json) throws IOException {
    var mapper = new ObjectMapper();
    var figures = mapper.readTree(json.toFile()).get("figures");
    return List.of(mapper.treeToValue(figures, Figure[].class));
  }

  private static void createParent(Path file) throws IOException {
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
  }
}
