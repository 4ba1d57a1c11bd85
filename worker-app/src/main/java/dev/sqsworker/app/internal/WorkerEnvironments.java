package dev.sqsworker.app.internal;

import dev.sqsworker.core.WorkerConfig;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Several workers in one process: {@code SQSWORKER_WORKERS=orders,refunds} names them, and each
 * reads its options from {@code SQSWORKER_<NAME>_<OPTION>} ({@code SQSWORKER_ORDERS_QUEUE_URL},
 * {@code SQSWORKER_REFUNDS_HANDLER_CLASS}, ...). An option a worker does not set falls back to the
 * shared {@code SQSWORKER_<OPTION>}, a default for every worker; the queue URLs have no shared
 * value. The database, the HTTP port, the region and scale-in protection are the process's.
 */
public final class WorkerEnvironments {

  private static final String PREFIX = "SQSWORKER_";
  private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9-]{0,29}");

  /** The options each worker may set for itself, by their shared names. */
  public static final Set<String> PER_WORKER = perWorker();

  private WorkerEnvironments() {}

  private static Set<String> perWorker() {
    Set<String> options = new LinkedHashSet<>(WorkerConfig.environmentVariables());
    options.add(dev.sqsworker.app.EnvironmentVariables.HANDLER_CLASS);
    options.add(dev.sqsworker.app.EnvironmentVariables.IDEMPOTENCY);
    options.add(dev.sqsworker.app.EnvironmentVariables.IDEMPOTENCY_TTL);
    options.add(dev.sqsworker.app.EnvironmentVariables.IDEMPOTENCY_KEY_ATTRIBUTE);
    return Set.copyOf(options);
  }

  /** A worker's name as it appears in variables: {@code refunds-eu} → {@code REFUNDS_EU}. */
  public static String prefixName(String name) {
    return name.toUpperCase(Locale.ROOT).replace('-', '_');
  }

  /**
   * The names in {@code SQSWORKER_WORKERS}, or none when it is unset (one unnamed worker). Problems
   * (a bad or repeated name, a shared queue URL) are added to {@code problems}.
   */
  public static List<String> names(Map<String, String> env, List<String> problems) {
    String raw = env.get(AppSettings.WORKERS);
    if (raw == null || raw.isBlank()) {
      return List.of();
    }
    List<String> names = new ArrayList<>();
    for (String part : raw.split(",")) {
      String name = part.trim();
      if (!NAME.matcher(name).matches()) {
        problems.add(
            AppSettings.WORKERS
                + ": '"
                + name
                + "' is not a worker name (a lowercase letter, then up to 29 lowercase letters,"
                + " digits or -)");
      } else if (names.contains(name)) {
        problems.add(AppSettings.WORKERS + ": '" + name + "' is named twice");
      } else if (clashes(name)) {
        problems.add(
            AppSettings.WORKERS
                + ": '"
                + name
                + "' would make SQSWORKER_"
                + prefixName(name)
                + "_* read as another option; choose another name");
      } else {
        names.add(name);
      }
    }
    for (String shared : List.of("SQSWORKER_QUEUE_URL", "SQSWORKER_DLQ_URL")) {
      if (env.get(shared) != null && !names.isEmpty()) {
        problems.add(
            shared
                + " is set with "
                + AppSettings.WORKERS
                + ": each worker needs its own, e.g. SQSWORKER_"
                + prefixName(names.get(0))
                + shared.substring(PREFIX.length() - 1));
      }
    }
    return names;
  }

  /** A name whose variables would start like another option's ({@code jdbc}, {@code http}). */
  private static boolean clashes(String name) {
    String start = PREFIX + prefixName(name) + "_";
    return UnknownVariables.known().stream().anyMatch(v -> v.startsWith(start))
        || (PREFIX + "DOWNSTREAM_").startsWith(start);
  }

  /**
   * The environment as worker {@code name} reads it: its own {@code SQSWORKER_<NAME>_*} options in
   * place of the shared ones, and no shared queue URLs.
   */
  public static Map<String, String> view(Map<String, String> env, String name) {
    Map<String, String> view = new HashMap<>(env);
    view.remove("SQSWORKER_QUEUE_URL");
    view.remove("SQSWORKER_DLQ_URL");
    String own = PREFIX + prefixName(name) + "_";
    for (String option : PER_WORKER) {
      String value = env.get(own + option.substring(PREFIX.length()));
      if (value != null) {
        view.put(option, value);
      }
    }
    return view;
  }

  /** Every per-worker variable for these worker names, e.g. {@code SQSWORKER_ORDERS_QUEUE_URL}. */
  public static Set<String> variables(List<String> names) {
    Set<String> variables = new LinkedHashSet<>();
    for (String name : names) {
      for (String option : PER_WORKER) {
        variables.add(PREFIX + prefixName(name) + "_" + option.substring(PREFIX.length()));
      }
    }
    return variables;
  }
}
