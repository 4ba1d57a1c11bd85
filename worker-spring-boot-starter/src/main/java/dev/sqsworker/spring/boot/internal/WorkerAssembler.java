package dev.sqsworker.spring.boot.internal;

import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.type.TypeFactory;
import dev.sqsworker.core.ConfigurationException;
import dev.sqsworker.core.MessageHandler;
import dev.sqsworker.core.Worker;
import dev.sqsworker.core.WorkerConfig;
import dev.sqsworker.core.idempotency.Idempotency;
import dev.sqsworker.core.idempotency.IdempotencyMode;
import dev.sqsworker.core.idempotency.IdempotencySchema;
import dev.sqsworker.core.resilience.Downstreams;
import dev.sqsworker.spring.boot.SqsWorkerCustomizer;
import dev.sqsworker.spring.boot.SqsWorkerProperties;
import dev.sqsworker.spring.boot.SqsWorkerProperties.Mode;
import dev.sqsworker.spring.boot.SqsWorkerProperties.WorkerProperties;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.function.Consumer;
import javax.sql.DataSource;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.core.ResolvableType;
import org.springframework.transaction.PlatformTransactionManager;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;
import software.amazon.awssdk.services.sqs.model.QueueDoesNotExistException;

/**
 * Turns {@code sqsworker.workers.*} entries and beans into {@link Worker}s. The constructor checks
 * every entry and reports every problem at once, each naming its property; queue names are resolved
 * and workers built only when they start.
 */
public final class WorkerAssembler {

  private static final String PREFIX = "sqsworker.workers.";

  /** What a worker is built from, checked. */
  private record Plan(
      String name,
      WorkerProperties properties,
      MessageHandler<Object> handler,
      JavaType payloadType,
      DataSource dataSource,
      PlatformTransactionManager transactionManager) {}

  /** The beans the workers use. */
  public record Beans(
      ConfigurableListableBeanFactory beanFactory,
      ObjectProvider<SqsAsyncClient> client,
      ObjectProvider<DataSource> dataSource,
      ObjectProvider<PlatformTransactionManager> transactionManager,
      ObjectProvider<MeterRegistry> meterRegistry,
      ObjectProvider<ObservationRegistry> observationRegistry,
      ObjectProvider<Downstreams> downstreams,
      ObjectProvider<SqsWorkerCustomizer> customizers) {}

  private final Beans beans;
  private final Map<String, Plan> plans = new LinkedHashMap<>();

  private final SqsWorkerProperties properties;
  private final HandlerMethods methods;

  /**
   * @param properties the {@code sqsworker.*} properties
   * @param beans the beans the workers use
   * @param methods the {@code @SqsWorkerHandler} methods found on the application's beans
   */
  public WorkerAssembler(SqsWorkerProperties properties, Beans beans, HandlerMethods methods) {
    this.properties = properties;
    this.beans = beans;
    this.methods = methods;
  }

  /**
   * Checks every enabled entry, once every singleton exists (so that every handler method has been
   * found).
   *
   * @throws ConfigurationException naming every problem of every enabled worker
   */
  public synchronized void plan() {
    if (!plans.isEmpty()) {
      return;
    }
    List<String> problems = new ArrayList<>(methods.problems());
    Map<String, List<HandlerMethods.Found>> found = methods.byWorker();
    for (var entry : properties.getWorkers().entrySet()) {
      if (entry.getValue().isEnabled()) {
        Plan plan = plan(entry.getKey(), entry.getValue(), found.get(entry.getKey()), problems);
        if (plan != null) {
          plans.put(entry.getKey(), plan);
        }
      }
    }
    for (var entry : found.entrySet()) {
      WorkerProperties p = properties.getWorkers().get(entry.getKey());
      if (p == null) {
        for (HandlerMethods.Found f : entry.getValue()) {
          problems.add(
              f.description()
                  + ": no worker "
                  + PREFIX
                  + entry.getKey()
                  + " (give it a queue-url or queue-name)");
        }
      }
    }
    if (!problems.isEmpty()) {
      plans.clear();
      throw new ConfigurationException(problems);
    }
  }

  /** The names of the workers to build, in the order of the properties. */
  public Set<String> names() {
    Set<String> names = new LinkedHashSet<>();
    properties
        .getWorkers()
        .forEach(
            (name, p) -> {
              if (p.isEnabled()) {
                names.add(name);
              }
            });
    return Collections.unmodifiableSet(names);
  }

  /** Creates or upgrades the idempotency table in each data source the workers use, once. */
  public void prepare() {
    plan();
    Map<DataSource, Boolean> migrated = new IdentityHashMap<>();
    for (Plan plan : plans.values()) {
      if (plan.dataSource() != null
          && plan.properties().getIdempotency().isMigrateOnStart()
          && migrated.put(plan.dataSource(), Boolean.TRUE) == null) {
        IdempotencySchema.migrate(plan.dataSource());
      }
    }
  }

  /**
   * Builds the worker of that name (not started): resolves its queues and checks that the
   * transaction manager binds the data source's connections.
   *
   * @throws ConfigurationException if a queue does not exist or the transactions cannot be shared
   */
  public Worker build(String name) {
    Plan plan = plans.get(name);
    WorkerProperties p = plan.properties();
    SqsAsyncClient client = beans.client().getObject();
    // Checked when planned; applied again to a fresh builder, which has no copy.
    WorkerConfig.Builder config = config(PREFIX + name + ".", p, new ArrayList<>());
    config.queueUrl(
        p.getQueueUrl() != null
            ? p.getQueueUrl()
            : queueUrl(client, name, "queue-name", p.getQueueName()));
    if (p.getDlqUrl() != null) {
      config.dlqUrl(p.getDlqUrl());
    } else if (p.getDlqName() != null) {
      config.dlqUrl(queueUrl(client, name, "dlq-name", p.getDlqName()));
    }
    Worker.Builder builder =
        Worker.builder()
            .client(client)
            .config(config.build())
            .handler(plan.payloadType(), handler(plan));
    MeterRegistry registry = beans.meterRegistry().getIfUnique();
    if (registry != null) {
      builder.meterRegistry(registry);
    }
    // The application's observations (Spring Boot's tracing bridges them to its tracer).
    beans.observationRegistry().ifUnique(builder::observationRegistry);
    if (plan.dataSource() != null) {
      builder.idempotency(idempotency(plan));
    }
    if (!p.getDependsOn().isEmpty()) {
      builder.dependsOn(beans.downstreams().getObject(), p.getDependsOn().toArray(String[]::new));
    }
    beans.customizers().orderedStream().forEach(c -> c.customize(name, builder));
    return builder.build();
  }

  private MessageHandler<Object> handler(Plan plan) {
    if (plan.transactionManager() == null) {
      return plan.handler();
    }
    return new TransactionBoundHandler<>(plan.name(), plan.handler(), plan.dataSource());
  }

  private Idempotency idempotency(Plan plan) {
    var props = plan.properties().getIdempotency();
    Idempotency.Builder b = Idempotency.postgres(plan.dataSource()).migrateOnStart(false);
    if (plan.transactionManager() != null) {
      var transactions =
          new SpringTransactionDataSource(
              plan.dataSource(), plan.transactionManager(), "sqsworker:" + plan.name());
      checkTransactions(plan, transactions);
      b.mode(IdempotencyMode.TRANSACTIONAL).dataSource(transactions);
    }
    if (props.getTtl() != null) {
      b.ttl(props.getTtl());
    }
    if (props.getScope() != null) {
      b.scope(props.getScope());
    }
    if (props.getKeyAttribute() != null) {
      b.keyAttribute(props.getKeyAttribute());
    }
    return b.build();
  }

  /** One empty transaction at start, so a wrong transaction manager fails here, not per message. */
  private static void checkTransactions(Plan plan, SpringTransactionDataSource transactions) {
    try (Connection c = transactions.getConnection()) {
      c.rollback();
    } catch (SQLException e) {
      throw new ConfigurationException(
          PREFIX + plan.name() + ".idempotency.mode=transactional: " + e.getMessage(), e);
    }
  }

  private static String queueUrl(
      SqsAsyncClient client, String worker, String option, String queue) {
    try {
      return client.getQueueUrl(r -> r.queueName(queue)).join().queueUrl();
    } catch (CompletionException e) {
      Throwable cause = e.getCause() != null ? e.getCause() : e;
      String why =
          cause instanceof QueueDoesNotExistException
              ? "the queue '" + queue + "' does not exist"
              : "could not resolve the queue '" + queue + "': " + cause.getMessage();
      throw new ConfigurationException(PREFIX + worker + "." + option + ": " + why, cause);
    }
  }

  private Plan plan(
      String name, WorkerProperties p, List<HandlerMethods.Found> found, List<String> problems) {
    int before = problems.size();
    String at = PREFIX + name + ".";
    if (p.getQueueUrl() == null && p.getQueueName() == null) {
      problems.add(at + "queue-url or " + at + "queue-name is required");
    } else if (p.getQueueUrl() != null && p.getQueueName() != null) {
      problems.add(at + "queue-url and " + at + "queue-name are both set; give one");
    }
    if (p.getDlqUrl() != null && p.getDlqName() != null) {
      problems.add(at + "dlq-url and " + at + "dlq-name are both set; give one");
    }
    config(at, p, problems);
    MessageHandler<Object> handler = null;
    JavaType payloadType = null;
    if (found != null) {
      if (found.size() > 1) {
        problems.add(
            at
                + "handler: more than one @SqsWorkerHandler method: "
                + found.stream().map(HandlerMethods.Found::description).toList());
      } else if (p.getHandler() != null) {
        problems.add(
            at
                + "handler is set, and "
                + found.get(0).description()
                + " handles this worker too; keep one");
      } else {
        handler = found.get(0).handler(beans.beanFactory());
        payloadType =
            p.getPayloadType() != null
                ? TypeFactory.defaultInstance().constructType(p.getPayloadType())
                : found.get(0).payloadType();
      }
    } else {
      String handlerName = handlerName(at, p, problems);
      if (handlerName != null) {
        handler = handlerBean(handlerName);
        payloadType = payloadType(at, handlerName, handler, p, problems);
      }
    }
    DataSource dataSource = null;
    PlatformTransactionManager transactionManager = null;
    Mode mode = p.getIdempotency().getMode();
    if (mode != Mode.NONE) {
      dataSource = beans.dataSource().getIfUnique();
      if (dataSource == null) {
        problems.add(at + "idempotency.mode=" + kebab(mode) + " needs one DataSource bean");
      }
      if (mode == Mode.TRANSACTIONAL) {
        transactionManager = beans.transactionManager().getIfUnique();
        if (transactionManager == null) {
          problems.add(
              at + "idempotency.mode=transactional needs one PlatformTransactionManager bean");
        }
      }
    }
    if (problems.size() > before) {
      return null;
    }
    return new Plan(name, p, handler, payloadType, dataSource, transactionManager);
  }

  private static WorkerConfig.Builder config(String at, WorkerProperties p, List<String> problems) {
    WorkerConfig.Builder b = WorkerConfig.builder();
    set(at, "concurrency", p.getConcurrency(), b::concurrency, problems);
    set(at, "pollers", p.getPollers(), b::pollers, problems);
    set(at, "batch-size", p.getBatchSize(), b::batchSize, problems);
    set(at, "max-attempts", p.getMaxAttempts(), b::maxAttempts, problems);
    set(at, "backoff-base", p.getBackoffBase(), b::backoffBase, problems);
    set(at, "backoff-cap", p.getBackoffCap(), b::backoffCap, problems);
    set(at, "visibility-timeout", p.getVisibilityTimeout(), b::visibilityTimeout, problems);
    set(at, "wait-time", p.getWaitTime(), b::waitTime, problems);
    set(at, "max-handling-time", p.getMaxHandlingTime(), b::maxHandlingTime, problems);
    set(at, "shutdown-grace", p.getShutdownGrace(), b::shutdownGrace, problems);
    set(at, "ack-flush-interval", p.getAckFlushInterval(), b::ackFlushInterval, problems);
    set(at, "worker-id", p.getWorkerId(), b::workerId, problems);
    set(at, "dlq-url", p.getDlqUrl(), b::dlqUrl, problems);
    set(at, "queue-url", p.getQueueUrl(), b::queueUrl, problems);
    @SuppressWarnings("unchecked")
    Class<? extends Throwable>[] nonRetryable = p.getNonRetryableExceptions().toArray(Class[]::new);
    b.nonRetryableExceptions(nonRetryable);
    return b;
  }

  private static <V> void set(
      String at, String option, V value, Consumer<V> setter, List<String> problems) {
    if (value == null) {
      return;
    }
    try {
      setter.accept(value);
    } catch (IllegalArgumentException e) {
      problems.add(at + option + ": " + e.getMessage());
    }
  }

  private String handlerName(String at, WorkerProperties p, List<String> problems) {
    List<String> all = Arrays.asList(beans.beanFactory().getBeanNamesForType(MessageHandler.class));
    if (p.getHandler() != null) {
      if (!all.contains(p.getHandler())) {
        problems.add(
            at
                + "handler: no MessageHandler bean named '"
                + p.getHandler()
                + "'; MessageHandler beans: "
                + all);
        return null;
      }
      return p.getHandler();
    }
    if (all.size() != 1) {
      problems.add(
          at
              + "handler is required: the application has "
              + all.size()
              + " MessageHandler beans "
              + all);
      return null;
    }
    return all.get(0);
  }

  @SuppressWarnings("unchecked")
  private MessageHandler<Object> handlerBean(String beanName) {
    return beans.beanFactory().getBean(beanName, MessageHandler.class);
  }

  /**
   * The payload type: the property, else the type argument of the bean's declared type (a
   * {@code @Bean} method returning {@code MessageHandler<Order>}), else of its class (a class
   * implementing {@code MessageHandler<Order>}).
   */
  private JavaType payloadType(
      String at,
      String beanName,
      MessageHandler<?> handler,
      WorkerProperties p,
      List<String> problems) {
    TypeFactory types = TypeFactory.defaultInstance();
    if (p.getPayloadType() != null) {
      return types.constructType(p.getPayloadType());
    }
    ResolvableType declared =
        beans.beanFactory().getMergedBeanDefinition(beanName).getResolvableType();
    for (ResolvableType candidate :
        List.of(declared, ResolvableType.forClass(handler.getClass()))) {
      ResolvableType argument = candidate.as(MessageHandler.class).getGeneric(0);
      if (argument.resolve() != null && argument.resolve() != Object.class) {
        return types.constructType(argument.getType());
      }
    }
    problems.add(
        at
            + "payload-type is required: the payload type of handler bean '"
            + beanName
            + "' cannot be told from its type "
            + declared
            + " (declare it as MessageHandler<YourPayload> or set payload-type)");
    return null;
  }

  private static String kebab(Mode mode) {
    return mode.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
  }
}
