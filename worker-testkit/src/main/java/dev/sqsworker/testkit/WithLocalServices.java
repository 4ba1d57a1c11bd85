package dev.sqsworker.testkit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Gives a JUnit 5 test class real local services. Declare a parameter of type {@link LocalSqs},
 * {@link LocalS3}, {@link LocalPostgres} or {@link LocalServices} on a constructor, a lifecycle
 * method or a test method and it is injected.
 *
 * <p>Each service is started once per JVM, the first time a test asks for it, and stopped when the
 * test run ends, so many test classes share one server. Tests keep apart by creating their own
 * queues ({@link LocalSqs#createQueue}), buckets ({@link S3Server#createBucket}) and databases
 * ({@link LocalPostgres#createDatabase}).
 *
 * <pre>{@code
 * @WithLocalServices
 * class OrdersIT {
 *   @Test
 *   void handlesAnOrder(LocalSqs sqs, LocalPostgres postgres) { ... }
 * }
 * }</pre>
 *
 * <p>When a service cannot run here (LocalStack chosen but no Docker engine), the tests that ask
 * for it are skipped with the reason.
 */
@Documented
@Inherited
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
@ExtendWith(LocalServicesExtension.class)
public @interface WithLocalServices {}
