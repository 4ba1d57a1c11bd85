package dev.sqsworker.app.internal;

import dev.sqsworker.app.EnvironmentVariables;
import dev.sqsworker.core.WorkerConfig;
import dev.sqsworker.core.resilience.DownstreamConfig;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.commons.text.similarity.LevenshteinDistance;

/**
 * Finds {@code SQSWORKER_*} variables that nothing reads (a typo such as {@code
 * SQSWORKER_BATCHSIZE}), which would otherwise be ignored in silence, and names the closest known
 * variable for each. The downstreams' {@code SQSWORKER_DOWNSTREAM_*} variables are checked where
 * they are read, by the downstream registry.
 */
public final class UnknownVariables {

  private static final String PREFIX = "SQSWORKER_";
  private static final LevenshteinDistance DISTANCE = LevenshteinDistance.getDefaultInstance();

  private UnknownVariables() {}

  /** Every {@code SQSWORKER_*} variable the application reads, downstreams' aside. */
  public static Set<String> known() {
    Set<String> known = new TreeSet<>(WorkerConfig.environmentVariables());
    EnvironmentVariables.ALL.stream().filter(v -> v.startsWith(PREFIX)).forEach(known::add);
    known.addAll(EnvironmentVariables.FOR_HANDLERS);
    return known;
  }

  /**
   * One warning per unknown {@code SQSWORKER_*} variable in {@code env}, in name order, such as
   * {@code "SQSWORKER_BATCHSIZE is not a known variable and is ignored; did you mean
   * SQSWORKER_BATCH_SIZE?"}.
   */
  public static List<String> warnings(Map<String, String> env) {
    Set<String> known = known();
    known.add(AppSettings.WORKERS);
    known.addAll(WorkerEnvironments.variables(WorkerEnvironments.names(env, new ArrayList<>())));
    List<String> warnings = new ArrayList<>();
    for (String name : new TreeSet<>(env.keySet())) {
      if (!name.startsWith(PREFIX)
          || name.startsWith(DownstreamConfig.ENV_PREFIX)
          || known.contains(name)) {
        continue;
      }
      String closest =
          known.stream()
              .min(Comparator.comparingInt((String k) -> DISTANCE.apply(k, name)))
              .orElseThrow();
      String warning = name + " is not a known variable and is ignored";
      if (DISTANCE.apply(closest, name) <= Math.max(3, name.length() / 4)) {
        warning += "; did you mean " + closest + "?";
      }
      warnings.add(warning);
    }
    return warnings;
  }
}
