package dev.sqsworker.spring.boot.internal;

import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.type.TypeFactory;
import dev.sqsworker.core.MessageContext;
import dev.sqsworker.core.MessageHandler;
import dev.sqsworker.spring.boot.SqsWorkerHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.aop.support.AopUtils;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.core.MethodIntrospector;
import org.springframework.core.ResolvableType;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.util.ReflectionUtils;

/**
 * Finds {@link SqsWorkerHandler} methods on the application's beans as they are initialized, and
 * adapts each to a {@link MessageHandler} that calls the method on the bean as the bean factory
 * exposes it (its proxy, so that {@code @Transactional} and other advice apply).
 */
public final class HandlerMethods implements BeanPostProcessor {

  /**
   * An annotated method of a bean.
   *
   * @param description how errors name it
   * @param payloadType its first parameter's type
   * @param beanName the bean, looked up when the worker is built so that its proxies apply
   * @param method the method
   * @param withContext whether it takes the MessageContext too
   */
  public record Found(
      String description,
      JavaType payloadType,
      String beanName,
      Method method,
      boolean withContext) {

    /** A handler that calls the method on the bean as the bean factory exposes it. */
    MessageHandler<Object> handler(BeanFactory beanFactory) {
      Object bean = beanFactory.getBean(beanName);
      Method invocable = AopUtils.selectInvocableMethod(method, bean.getClass());
      ReflectionUtils.makeAccessible(invocable);
      return new MessageHandler<>() {
        @Override
        public void handle(Object payload, MessageContext context) throws Exception {
          try {
            if (withContext) {
              invocable.invoke(bean, payload, context);
            } else {
              invocable.invoke(bean, payload);
            }
          } catch (InvocationTargetException e) {
            if (e.getCause() instanceof Exception cause) {
              throw cause;
            }
            if (e.getCause() instanceof Error error) {
              throw error;
            }
            throw e;
          }
        }

        @Override
        public String toString() {
          return description;
        }
      };
    }
  }

  private final Map<String, List<Found>> byWorker = new LinkedHashMap<>();
  private final List<String> problems = new ArrayList<>();

  @Override
  public Object postProcessAfterInitialization(Object bean, String beanName) {
    Class<?> type = AopUtils.getTargetClass(bean);
    Map<Method, SqsWorkerHandler> methods =
        MethodIntrospector.selectMethods(
            type,
            (MethodIntrospector.MetadataLookup<SqsWorkerHandler>)
                m -> AnnotatedElementUtils.findMergedAnnotation(m, SqsWorkerHandler.class));
    methods.forEach((method, annotation) -> add(beanName, method, annotation.value()));
    return bean;
  }

  private synchronized void add(String beanName, Method method, String worker) {
    String description =
        "@SqsWorkerHandler(\"" + worker + "\") " + beanName + "." + method.getName();
    Class<?>[] parameters = method.getParameterTypes();
    boolean withContext = parameters.length == 2 && parameters[1] == MessageContext.class;
    if (parameters.length != 1 && !withContext) {
      problems.add(
          description
              + " must take (Payload) or (Payload, MessageContext), takes "
              + parameters.length
              + " parameters");
      return;
    }
    JavaType payloadType =
        TypeFactory.defaultInstance()
            .constructType(ResolvableType.forMethodParameter(method, 0).getType());
    byWorker
        .computeIfAbsent(worker, k -> new ArrayList<>())
        .add(new Found(description, payloadType, beanName, method, withContext));
  }

  /** The methods for each worker name. */
  synchronized Map<String, List<Found>> byWorker() {
    return Map.copyOf(byWorker);
  }

  /** Methods whose signature does not fit. */
  synchronized List<String> problems() {
    return List.copyOf(problems);
  }
}
