package dev.sqsworker.bench;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Predicate;
import javax.imageio.ImageIO;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Draws the dashboard's main panels from a demo run's timeline ({@code SQSWORKER_DEMO_TIMELINE}):
 * each panel's query (rate, sum, max, histogram_quantile) computed on the sampled meters and
 * plotted with XChart, for docs/operations.md. A demo run lasts seconds, so the queries' {@code
 * [5m]} windows become {@value #WINDOW_MILLIS} ms.
 *
 * <pre>{@code java ... dev.sqsworker.bench.DemoPanels timeline.csv docs/images/panels.png}</pre>
 */
public final class DemoPanels {

  static final long WINDOW_MILLIS = 2000;

  /** One sampled series: its name, its tags, and its values by time. */
  record Series(String name, Map<String, String> tags, TreeMap<Long, Double> values) {}

  private final List<Series> series;
  private final TreeSet<Long> times = new TreeSet<>();

  DemoPanels(List<Series> series) {
    this.series = series;
    series.forEach(s -> times.addAll(s.values().keySet()));
  }

  /** Reads a timeline CSV: {@code millis,name,tags,value}. */
  static DemoPanels read(Path csv) throws IOException {
    Map<String, Series> byKey = new TreeMap<>();
    for (String line : Files.readAllLines(csv).subList(1, Files.readAllLines(csv).size())) {
      String[] parts = line.split(",", -1);
      if (parts.length != 4) {
        continue;
      }
      Series s =
          byKey.computeIfAbsent(
              parts[1] + "|" + parts[2],
              k -> new Series(parts[1], tags(parts[2]), new TreeMap<>()));
      s.values().put(Long.parseLong(parts[0]), Double.parseDouble(parts[3]));
    }
    return new DemoPanels(new ArrayList<>(byKey.values()));
  }

  static Map<String, String> tags(String text) {
    Map<String, String> tags = new TreeMap<>();
    for (String pair : text.split(";")) {
      int eq = pair.indexOf('=');
      if (eq > 0) {
        tags.put(pair.substring(0, eq), pair.substring(eq + 1));
      }
    }
    return tags;
  }

  private List<Series> matching(String name, Predicate<Map<String, String>> filter) {
    return series.stream().filter(s -> s.name().equals(name) && filter.test(s.tags())).toList();
  }

  private static double at(Series s, long time) {
    Map.Entry<Long, Double> e = s.values().floorEntry(time);
    return e == null ? 0 : e.getValue();
  }

  /** {@code sum(rate(name[window]))} at each sample time, per second. */
  double[] rate(String name, Predicate<Map<String, String>> filter) {
    return each(t -> sumIncrease(matching(name, filter), t) / (WINDOW_MILLIS / 1000.0));
  }

  /** {@code sum(name)} at each sample time. */
  double[] sum(String name, Predicate<Map<String, String>> filter) {
    List<Series> found = matching(name, filter);
    return each(t -> found.stream().mapToDouble(s -> at(s, t)).sum());
  }

  /**
   * {@code histogram_quantile(q, sum by (le) (rate(name_bucket[window])))} at each sample time: the
   * bucket where the q-th observation falls, linearly interpolated inside it (as Prometheus does);
   * NaN where the window saw nothing.
   */
  double[] quantile(double q, String timer, Predicate<Map<String, String>> filter) {
    List<Series> buckets = matching(timer + ".bucket", filter);
    List<Series> counts = matching(timer + ".count", filter);
    TreeSet<Double> bounds = new TreeSet<>();
    buckets.forEach(b -> bounds.add(Double.parseDouble(b.tags().get("le"))));
    return each(
        t -> {
          double total = sumIncrease(counts, t);
          if (total <= 0) {
            return Double.NaN;
          }
          double rank = q * total;
          double lower = 0;
          double below = 0;
          for (double bound : bounds) {
            double upTo =
                sumIncrease(
                    buckets.stream()
                        .filter(b -> Double.parseDouble(b.tags().get("le")) == bound)
                        .toList(),
                    t);
            if (upTo >= rank) {
              double inBucket = upTo - below;
              return inBucket <= 0 ? bound : lower + (bound - lower) * (rank - below) / inBucket;
            }
            lower = bound;
            below = upTo;
          }
          // Above the highest bound: Prometheus answers the highest finite bound.
          return lower;
        });
  }

  private static double sumIncrease(List<Series> found, long t) {
    return found.stream().mapToDouble(s -> at(s, t) - at(s, t - WINDOW_MILLIS)).sum();
  }

  private double[] each(java.util.function.LongToDoubleFunction f) {
    return times.stream().mapToDouble(f::applyAsDouble).toArray();
  }

  double[] seconds() {
    long first = times.isEmpty() ? 0 : times.first();
    return times.stream().mapToDouble(t -> (t - first) / 1000.0).toArray();
  }

  private static Predicate<Map<String, String>> any() {
    return tags -> true;
  }

  private static Predicate<Map<String, String>> tag(String key, String value) {
    return tags -> value.equals(tags.get(key));
  }

  /** The six main panels, as charts. */
  List<XYChart> charts() {
    double[] x = seconds();
    List<XYChart> charts = new ArrayList<>();

    XYChart throughput = chart("Throughput by outcome (msg/s)", "msg/s");
    add(throughput, "succeeded", x, rate("sqsworker.messages.succeeded", any()));
    add(throughput, "retried", x, rate("sqsworker.messages.retried", any()));
    add(throughput, "parked", x, rate("sqsworker.messages.parked", any()));
    add(throughput, "duplicates", x, rate("sqsworker.messages.duplicates", any()));
    add(throughput, "dead-lettered", x, rate("sqsworker.messages.dead.lettered", any()));
    charts.add(throughput);

    XYChart inFlight = chart("In flight vs concurrency", "messages");
    add(inFlight, "in flight", x, sum("sqsworker.messages.in.flight", any()));
    add(inFlight, "concurrency", x, sum("sqsworker.worker.concurrency", any()));
    charts.add(inFlight);

    XYChart handler = chart("Handler latency, p50 / p99 (from the histogram)", "seconds");
    add(handler, "p50", x, quantile(0.5, "sqsworker.handler.duration", any()));
    add(handler, "p99", x, quantile(0.99, "sqsworker.handler.duration", any()));
    charts.add(handler);

    XYChart settle = chart("Receipt to settlement, p99 by outcome", "seconds");
    for (String outcome : List.of("succeeded", "duplicate", "dead_lettered")) {
      add(
          settle,
          outcome,
          x,
          quantile(0.99, "sqsworker.message.settle.time", tag("outcome", outcome)));
    }
    charts.add(settle);

    XYChart dead = chart("Dead letters by reason (per 2 s)", "messages");
    for (String reason : List.of("DECODE", "NON_RETRYABLE", "EXHAUSTED")) {
      double[] perSecond = rate("sqsworker.messages.dead.lettered", tag("reason", reason));
      double[] increase = new double[perSecond.length];
      for (int i = 0; i < increase.length; i++) {
        increase[i] = perSecond[i] * WINDOW_MILLIS / 1000.0;
      }
      add(dead, reason, x, increase);
    }
    charts.add(dead);

    XYChart breaker = chart("Circuit breaker tax (1 = open), polling paused", "state");
    add(breaker, "open", x, sum("resilience4j.circuitbreaker.state", tag("state", "open")));
    add(
        breaker,
        "half open",
        x,
        sum("resilience4j.circuitbreaker.state", tag("state", "half_open")));
    add(breaker, "polling paused", x, sum("sqsworker.poll.paused.active", any()));
    charts.add(breaker);
    return charts;
  }

  private static XYChart chart(String title, String yTitle) {
    XYChart chart =
        new XYChartBuilder()
            .width(600)
            .height(320)
            .title(title)
            .xAxisTitle("seconds into the demo")
            .yAxisTitle(yTitle)
            .build();
    chart.getStyler().setChartBackgroundColor(Color.WHITE);
    chart.getStyler().setLegendVisible(true);
    return chart;
  }

  private static void add(XYChart chart, String name, double[] x, double[] y) {
    // XChart draws NaN as a gap: windows that saw nothing have no latency.
    XYSeries s = chart.addSeries(name, x, y);
    s.setMarker(SeriesMarkers.NONE);
  }

  /** Draws the charts in a grid of two columns into one PNG. */
  static void draw(List<XYChart> charts, Path png) throws IOException {
    int width = 600;
    int height = 320;
    int rows = (charts.size() + 1) / 2;
    BufferedImage image = new BufferedImage(2 * width, rows * height, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, image.getWidth(), image.getHeight());
    for (int i = 0; i < charts.size(); i++) {
      Graphics2D cell = (Graphics2D) g.create((i % 2) * width, (i / 2) * height, width, height);
      charts.get(i).paint(cell, width, height);
      cell.dispose();
    }
    g.dispose();
    if (png.getParent() != null) {
      Files.createDirectories(png.getParent());
    }
    ImageIO.write(image, "png", png.toFile());
  }

  /** {@code DemoPanels <timeline.csv> <out.png>}. */
  public static void main(String[] args) throws IOException {
    if (args.length != 2) {
      System.err.println("usage: DemoPanels <timeline.csv> <out.png>");
      System.exit(2);
    }
    DemoPanels panels = read(Path.of(args[0]));
    draw(panels.charts(), Path.of(args[1]));
    System.out.println("wrote " + args[1]);
  }
}
