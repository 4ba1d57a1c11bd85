package dev.sqsworker.testkit;

import java.util.function.Supplier;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * The JUnit 5 extension behind {@link WithLocalServices}: resolves {@link LocalSqs}, {@link
 * LocalS3}, {@link LocalPostgres} and {@link LocalServices} parameters with services shared by the
 * whole test run.
 */
public final class LocalServicesExtension implements ParameterResolver {

  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(LocalServicesExtension.class);

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    Class<?> type = parameter.getParameter().getType();
    return type == LocalSqs.class
        || type == LocalS3.class
        || type == LocalPostgres.class
        || type == LocalServices.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    Class<?> type = parameter.getParameter().getType();
    if (type == LocalSqs.class) {
      return sqs(context);
    }
    if (type == LocalS3.class) {
      return s3(context);
    }
    if (type == LocalPostgres.class) {
      return postgres(context);
    }
    return LocalServices.view(sqs(context), s3(context), postgres(context));
  }

  private static LocalSqs sqs(ExtensionContext context) {
    return shared(context, LocalSqs.class, () -> LocalSqs.start(Backend.fromSystemProperty()));
  }

  private static LocalS3 s3(ExtensionContext context) {
    return shared(context, LocalS3.class, () -> LocalS3.start(Backend.fromSystemProperty()));
  }

  private static LocalPostgres postgres(ExtensionContext context) {
    return shared(context, LocalPostgres.class, LocalPostgres::start);
  }

  private static <T extends AutoCloseable> T shared(
      ExtensionContext context, Class<T> type, Supplier<T> starter) {
    // The root store lives for the whole run and closes its AutoCloseable values at the end.
    ExtensionContext.Store store = context.getRoot().getStore(NAMESPACE);
    try {
      return store.getOrComputeIfAbsent(type, key -> starter.get(), type);
    } catch (ServiceUnavailableException e) {
      Assumptions.abort(e.getMessage());
      throw e;
    }
  }
}
