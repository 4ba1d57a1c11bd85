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
import org.knowm.xchart.AnnotationText;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;

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

  /**
   * One chart panel: a family of throughput figures, by name, and optional horizontal bounds drawn
   * over given figures (the Little's-law bound of the I/O rounds).
   */
  private record Panel(String title, List<String> names, Map<String, Double> bounds) {}

  private static final List<Panel> PANELS =
      List.of(
          new Panel(
              "no-op worker vs the loops a user would write",
              List.of(
                  "noop.c16.sync.throughput",
                  "noop.c16.async.throughput",
                  "noop.c16.worker.throughput",
                  "noop.c64.sync.throughput",
                  "noop.c64.async.throughput",
                  "noop.c64.worker.throughput",
                  "spring.throughput"),
              Map.of()),
          new Panel(
              "idempotency in PostgreSQL (concurrency 16)",
              List.of("idem.noop.throughput", "idem.throughput", "idem.tx.throughput"),
              Map.of()),
          new Panel(
              "batch handler: one multi-row INSERT per receive vs one INSERT per message",
              List.of("batch.single.throughput", "batch.throughput"),
              Map.of()),
          new Panel(
              "I/O-bound 100 ms handlers, SQS calls 20 ms late (line: Little's-law bound)",
              List.of("io100.throughput", "io500.throughput"),
              Map.of("io100.throughput", 1000.0, "io500.throughput", 5000.0)),
          new Panel(
              "scale-out: worker JVMs on one queue, idempotency on",
              List.of("scaleout.one.throughput", "scaleout.three.throughput"),
              Map.of()),
          new Panel(
              "claims of new keys: idempotency table of 10 thousand vs 10 million rows",
              List.of("claims.small.throughput", "claims.large.throughput"),
              Map.of()));

  /**
   * Writes one panel per family: the median of each figure as a point with its value, the min–max
   * of the rounds as a whisker, and the bound where a family has one.
   */
  void writeChart(Path file) throws IOException {
    Map<String, Figure> byName = new LinkedHashMap<>();
    figures.forEach(f -> byName.put(f.name(), f));
    List<org.knowm.xchart.internal.chartpart.Chart<?, ?>> charts = new java.util.ArrayList<>();
    for (Panel panel : PANELS) {
      List<Figure> shown =
          panel.names().stream().filter(byName::containsKey).map(byName::get).toList();
      if (!shown.isEmpty()) {
        charts.add(panel(panel, shown));
      }
    }
    if (charts.isEmpty()) {
      return;
    }
    createParent(file);
    // The grid must be full: two columns when the panels pair up, else one.
    int columns = charts.size() % 2 == 0 ? 2 : 1;
    int rows = (charts.size() + columns - 1) / columns;
    BitmapEncoder.saveBitmap(
        charts, rows, columns, file.toString(), BitmapEncoder.BitmapFormat.PNG);
  }

  private static XYChart panel(Panel panel, List<Figure> shown) {
    XYChart chart =
        new XYChartBuilder()
            .width(720)
            .height(420)
            .title(panel.title())
            .yAxisTitle("msg/s")
            .build();
    chart.getStyler().setLegendVisible(false);
    chart
        .getStyler()
        .setChartTitleFont(new java.awt.Font(java.awt.Font.SANS_SERIF, java.awt.Font.BOLD, 13));
    chart.getStyler().setXAxisMin(0.4);
    chart.getStyler().setXAxisMax(shown.size() + 0.6);
    chart.getStyler().setYAxisMin(0.0);
    chart.getStyler().setXAxisTickMarkSpacingHint(1);
    chart
        .getStyler()
        .setAnnotationTextFont(
            new java.awt.Font(java.awt.Font.SANS_SERIF, java.awt.Font.PLAIN, 11));
    double top = 0;
    for (Figure f : shown) {
      top = Math.max(top, Math.max(f.stats().max(), panel.bounds().getOrDefault(f.name(), 0.0)));
    }
    chart.getStyler().setYAxisMax(top * 1.15);
    chart.getStyler().setXAxisTicksVisible(false);
    double[] xs = new double[shown.size()];
    double[] medians = new double[shown.size()];
    for (int i = 0; i < shown.size(); i++) {
      Figure f = shown.get(i);
      double x = i + 1;
      xs[i] = x;
      medians[i] = f.stats().median();
      XYSeries whisker =
          chart.addSeries(
              "range " + f.name(),
              new double[] {x, x},
              new double[] {f.stats().min(), f.stats().max()});
      whisker.setMarker(org.knowm.xchart.style.markers.SeriesMarkers.DIAMOND);
      whisker.setLineColor(java.awt.Color.GRAY);
      whisker.setMarkerColor(java.awt.Color.GRAY);
      Double bound = panel.bounds().get(f.name());
      if (bound != null) {
        XYSeries line =
            chart.addSeries(
                "bound " + f.name(), new double[] {x - 0.3, x + 0.3}, new double[] {bound, bound});
        line.setMarker(org.knowm.xchart.style.markers.SeriesMarkers.NONE);
        line.setLineColor(java.awt.Color.RED);
        chart.addAnnotation(
            new AnnotationText(
                String.format(Locale.ROOT, "bound %.0f", bound), x + 0.3, bound, false));
      }
      chart.addAnnotation(
          new AnnotationText(
              String.format(Locale.ROOT, "%.0f", f.stats().median()),
              x + 0.22,
              f.stats().median(),
              false));
      // The figure's name above its whisker (the x axis is only positions).
      chart.addAnnotation(
          new AnnotationText(label(f.name()), x, f.stats().max() + top * 0.05, false));
    }
    XYSeries median = chart.addSeries("median", xs, medians);
    median.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
    median.setMarker(org.knowm.xchart.style.markers.SeriesMarkers.CIRCLE);
    median.setMarkerColor(new java.awt.Color(0x1f77b4));
    return chart;
  }

  /** A short tick label: the figure's name without its family's common words. */
  private static String label(String name) {
    return name.replace(".throughput", "").replace("noop.", "").replace("scaleout.", "");
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
