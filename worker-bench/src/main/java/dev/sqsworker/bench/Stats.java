package dev.sqsworker.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The median, minimum and maximum of a figure over the measured rounds.
 *
 * @param median the median (the mean of the middle two for an even count)
 * @param min the smallest value
 * @param max the largest value
 * @param rounds how many values
 */
public record Stats(double median, double min, double max, int rounds) {

  /** Summarises the values of several rounds. */
  public static Stats of(List<Double> values) {
    if (values.isEmpty()) {
      throw new IllegalArgumentException("no values to summarise");
    }
    List<Double> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    int n = sorted.size();
    double median =
        n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2.0;
    return new Stats(median, sorted.get(0), sorted.get(n - 1), n);
  }
}
