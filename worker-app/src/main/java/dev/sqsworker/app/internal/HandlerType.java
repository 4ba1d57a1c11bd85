package dev.sqsworker.app.internal;

import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.type.TypeFactory;
import dev.sqsworker.core.MessageHandler;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Modifier;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * A {@link MessageHandler} class named in the environment, its payload type read from the type
 * argument it gives {@code MessageHandler<T>}, and the constructor to create it with.
 *
 * @param handlerClass the handler class
 * @param payloadType the payload type, e.g. {@code Order} or {@code List<Item>}
 * @param dataSourceConstructor the constructor taking a {@link DataSource}, if it has one
 */
public record HandlerType(
    Class<?> handlerClass, JavaType payloadType, Optional<Constructor<?>> dataSourceConstructor) {

  /**
   * Loads and checks the class.
   *
   * @param className the fully qualified name
   * @param jdbcConfigured whether a data source will exist
   * @throws IllegalArgumentException naming what is wrong with the class
   */
  public static HandlerType load(String className, boolean jdbcConfigured) {
    Class<?> type;
    try {
      type = Class.forName(className, false, Thread.currentThread().getContextClassLoader());
    } catch (ClassNotFoundException | LinkageError e) {
      throw new IllegalArgumentException("no class named '" + className + "' on the classpath", e);
    }
    if (!MessageHandler.class.isAssignableFrom(type)) {
      throw new IllegalArgumentException(
          className + " does not implement " + MessageHandler.class.getName());
    }
    if (type.isInterface() || Modifier.isAbstract(type.getModifiers())) {
      throw new IllegalArgumentException(className + " is abstract; name a concrete class");
    }
    if (!Modifier.isPublic(type.getModifiers())) {
      throw new IllegalArgumentException(className + " must be public");
    }
    JavaType payload = payloadTypeOf(type);
    Optional<Constructor<?>> withDataSource = publicConstructor(type, DataSource.class);
    Optional<Constructor<?>> noArgs = publicConstructor(type);
    if (withDataSource.isPresent() && jdbcConfigured) {
      return new HandlerType(type, payload, withDataSource);
    }
    if (noArgs.isPresent()) {
      return new HandlerType(type, payload, Optional.empty());
    }
    if (withDataSource.isPresent()) {
      throw new IllegalArgumentException(
          className
              + " takes a DataSource: set SQSWORKER_JDBC_URL (and _USER, _PASSWORD) or give it a"
              + " public no-argument constructor");
    }
    throw new IllegalArgumentException(
        className
            + " needs a public no-argument constructor or a public constructor taking a"
            + " javax.sql.DataSource");
  }

  /**
   * The type argument {@code T} of {@code MessageHandler<T>} as the class resolves it, through
   * superclasses and generic interfaces.
   *
   * @throws IllegalArgumentException if the class leaves it open ({@code implements MessageHandler}
   *     raw, or a type variable)
   */
  static JavaType payloadTypeOf(Class<?> type) {
    JavaType[] parameters =
        TypeFactory.defaultInstance().constructType(type).findTypeParameters(MessageHandler.class);
    if (parameters.length != 1
        || parameters[0].getRawClass() == Object.class
        || parameters[0].getRawClass() == null) {
      throw new IllegalArgumentException(
          "cannot determine the payload type of "
              + type.getName()
              + ": it must implement MessageHandler<PayloadType> with a concrete type, e.g."
              + " 'implements MessageHandler<Order>'");
    }
    return parameters[0];
  }

  /** Creates the handler. */
  public MessageHandler<?> instantiate(Optional<DataSource> dataSource) {
    try {
      Object handler =
          dataSourceConstructor.isPresent()
              ? dataSourceConstructor.get().newInstance(dataSource.orElseThrow())
              : handlerClass.getConstructor().newInstance();
      return (MessageHandler<?>) handler;
    } catch (InvocationTargetException e) {
      throw new IllegalStateException(
          "constructor of " + handlerClass.getName() + " failed: " + e.getCause(), e.getCause());
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("cannot create " + handlerClass.getName(), e);
    }
  }

  private static Optional<Constructor<?>> publicConstructor(Class<?> type, Class<?>... params) {
    try {
      return Optional.of(type.getConstructor(params));
    } catch (NoSuchMethodException e) {
      return Optional.empty();
    }
  }
}
