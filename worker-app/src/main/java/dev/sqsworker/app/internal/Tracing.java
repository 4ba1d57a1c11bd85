package dev.sqsworker.app.internal;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.handler.DefaultTracingObservationHandler;
import io.micrometer.tracing.handler.PropagatingReceiverTracingObservationHandler;
import io.micrometer.tracing.handler.PropagatingSenderTracingObservationHandler;
import io.micrometer.tracing.handler.TracingObservationHandler;
import io.micrometer.tracing.otel.bridge.OtelBaggageManager;
import io.micrometer.tracing.otel.bridge.OtelCurrentTraceContext;
import io.micrometer.tracing.otel.bridge.OtelPropagator;
import io.micrometer.tracing.otel.bridge.OtelTracer;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdk;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.SpanProcessor;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.slf4j.MDC;

/**
 * The application's tracing: Micrometer Observation bridged to OpenTelemetry. Off (a no-op
 * registry, no SDK) unless {@code OTEL_EXPORTER_OTLP_ENDPOINT} is set, when spans are exported over
 * OTLP as the standard {@code OTEL_*} variables say, or a span processor is given in code.
 */
public final class Tracing implements AutoCloseable {

  /** The variable that turns the OTLP export on. */
  public static final String OTLP_ENDPOINT = "OTEL_EXPORTER_OTLP_ENDPOINT";

  /** MDC key of the current span's trace id while a traced handler runs. */
  public static final String MDC_TRACE_ID = "sqsworker.traceId";

  /** MDC key of the current span's id while a traced handler runs. */
  public static final String MDC_SPAN_ID = "sqsworker.spanId";

  static final String SERVICE_NAME = "sqs-worker";
  private static final String INSTRUMENTATION = "dev.sqsworker";

  private final ObservationRegistry registry;
  private final OpenTelemetrySdk sdk;

  private Tracing(ObservationRegistry registry, OpenTelemetrySdk sdk) {
    this.registry = registry;
    this.sdk = sdk;
  }

  /**
   * The tracing the environment asks for: spans to {@code processor} when one is given, else OTLP
   * when {@value #OTLP_ENDPOINT} is set, else none.
   */
  public static Tracing of(Map<String, String> env, SpanProcessor processor) {
    OpenTelemetrySdk sdk;
    if (processor != null) {
      sdk =
          OpenTelemetrySdk.builder()
              .setTracerProvider(
                  SdkTracerProvider.builder()
                      .setResource(
                          Resource.getDefault().toBuilder()
                              .put("service.name", SERVICE_NAME)
                              .build())
                      .addSpanProcessor(processor)
                      .build())
              .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance()))
              .build();
    } else if (env.getOrDefault(OTLP_ENDPOINT, "").isBlank()) {
      return new Tracing(ObservationRegistry.NOOP, null);
    } else {
      sdk =
          AutoConfiguredOpenTelemetrySdk.builder()
              .addPropertiesSupplier(() -> properties(env))
              .disableShutdownHook()
              .build()
              .getOpenTelemetrySdk();
    }
    return new Tracing(registry(sdk), sdk);
  }

  /**
   * The autoconfiguration's properties: traces only (no OTLP metrics or logs: metrics are scraped
   * from {@code /metrics}, logs go to stdout), our service name unless one is set, and the {@code
   * OTEL_*} variables of {@code env} (the SDK reads the process's own environment too).
   */
  static Map<String, String> properties(Map<String, String> env) {
    Map<String, String> properties = new HashMap<>();
    properties.put("otel.traces.exporter", "otlp");
    properties.put("otel.metrics.exporter", "none");
    properties.put("otel.logs.exporter", "none");
    properties.put("otel.service.name", SERVICE_NAME);
    env.forEach(
        (name, value) -> {
          if (name.startsWith("OTEL_")) {
            properties.put(name.toLowerCase(Locale.ROOT).replace('_', '.'), value);
          }
        });
    return properties;
  }

  private static ObservationRegistry registry(OpenTelemetry openTelemetry) {
    io.opentelemetry.api.trace.Tracer otelTracer = openTelemetry.getTracer(INSTRUMENTATION);
    OtelCurrentTraceContext current = new OtelCurrentTraceContext();
    OtelTracer tracer =
        new OtelTracer(
            otelTracer,
            current,
            event -> {},
            new OtelBaggageManager(current, List.of(), List.of()));
    OtelPropagator propagator = new OtelPropagator(openTelemetry.getPropagators(), otelTracer);
    ObservationRegistry registry = ObservationRegistry.create();
    registry
        .observationConfig()
        .observationHandler(
            new ObservationHandler.FirstMatchingCompositeObservationHandler(
                new PropagatingReceiverTracingObservationHandler<>(tracer, propagator),
                new PropagatingSenderTracingObservationHandler<>(tracer, propagator),
                new DefaultTracingObservationHandler(tracer)))
        .observationHandler(new SpanMdc());
    return registry;
  }

  /** Whether spans are recorded. */
  public boolean enabled() {
    return sdk != null;
  }

  /** The registry the workers and downstreams observe into; a no-op when tracing is off. */
  public ObservationRegistry observationRegistry() {
    return registry;
  }

  /** Exports the spans still buffered and stops the SDK. */
  @Override
  public void close() {
    if (sdk != null) {
      sdk.close();
    }
  }

  /**
   * Puts the trace and span id of the observation in scope into the MDC (after the tracing handler
   * has opened its span's scope), and puts back the outer ones when the scope closes.
   */
  static final class SpanMdc implements ObservationHandler<Observation.Context> {

    private record Outer(String traceId, String spanId) {}

    @Override
    public void onScopeOpened(Observation.Context context) {
      TracingObservationHandler.TracingContext tracing =
          context.get(TracingObservationHandler.TracingContext.class);
      Span span = tracing == null ? null : tracing.getSpan();
      if (span == null) {
        return;
      }
      context.put(Outer.class, new Outer(MDC.get(MDC_TRACE_ID), MDC.get(MDC_SPAN_ID)));
      MDC.put(MDC_TRACE_ID, span.context().traceId());
      MDC.put(MDC_SPAN_ID, span.context().spanId());
    }

    @Override
    public void onScopeClosed(Observation.Context context) {
      Outer outer = context.get(Outer.class);
      if (outer == null) {
        return;
      }
      restore(MDC_TRACE_ID, outer.traceId());
      restore(MDC_SPAN_ID, outer.spanId());
    }

    private static void restore(String key, String value) {
      if (value == null) {
        MDC.remove(key);
      } else {
        MDC.put(key, value);
      }
    }

    @Override
    public boolean supportsContext(Observation.Context context) {
      return true;
    }
  }
}
