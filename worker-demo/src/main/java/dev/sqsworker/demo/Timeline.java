package dev.sqsworker.demo;

import io.micrometer.core.instrument.Measurement;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.CountAtBucket;
import io.micrometer.core.instrument.distribution.HistogramSnapshot;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.stream.Collectors;

/**
 * Samples every meter of a registry twice a second into a CSV file ({@code millis,name,tags,value};
 * timers as {@code name.count} and cumulative {@code name.bucket} rows with an {@code le} tag), so
 * that the dashboard's panel queries can be computed and plotted from a real run afterwards. Turned
 * on by {@value #VARIABLE}.
 */
final class Timeline implements AutoCloseable {

  /** The variable naming the CSV file to write. */
  static final String VARIABLE = "SQSWORKER_DEMO_TIMELINE";

  private static final long PERIOD_MILLIS = 500;

  private final MeterRegistry registry;
  private final Writer out;
  private final LongSupplier millis;
  private final long start;
  private final ScheduledExecutorService sampler =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread thread = new Thread(r, "demo-timeline");
            thread.setDaemon(true);
            return thread;
          });

  Timeline(MeterRegistry registry, Path file, LongSupplier millis) {
    this.registry = registry;
    this.millis = millis;
    this.start = millis.getAsLong();
    try {
      this.out = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
      out.write("millis,name,tags,value\n");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the timeline to " + file, e);
    }
    sampler.scheduleAtFixedRate(this::sample, 0, PERIOD_MILLIS, TimeUnit.MILLISECONDS);
  }

  private synchronized void sample() {
    long at = millis.getAsLong() - start;
    try {
      for (Meter meter : registry.getMeters()) {
        String name = meter.getId().getName();
        String tags =
            meter.getId().getTags().stream()
                .map(t -> t.getKey() + "=" + t.getValue())
                .collect(Collectors.joining(";"));
        if (meter instanceof Timer timer) {
          HistogramSnapshot snapshot = timer.takeSnapshot();
          row(at, name + ".count", tags, snapshot.count());
          for (CountAtBucket bucket : snapshot.histogramCounts()) {
            String le = Double.toString(bucket.bucket(TimeUnit.SECONDS));
            row(
                at,
                name + ".bucket",
                tags.isEmpty() ? "le=" + le : tags + ";le=" + le,
                bucket.count());
          }
        } else {
          for (Measurement measurement : meter.measure()) {
            row(at, name, tags, measurement.getValue());
          }
        }
      }
      out.flush();
    } catch (IOException | RuntimeException e) {
      // A sample lost is a gap in a picture, not a failed demo.
    }
  }

  private void row(long at, String name, String tags, double value) throws IOException {
    out.write(at + "," + name + "," + tags + "," + value + "\n");
  }

  @Override
  public synchronized void close() {
    sampler.shutdownNow();
    sample();
    try {
      out.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
