package dev.sqsworker.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sqsworker.core.MessageHandler;
import dev.sqsworker.testkit.LocalSqs;
import dev.sqsworker.testkit.QueuePair;
import dev.sqsworker.testkit.WithLocalServices;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;

/** The application's ObservationRegistry (Spring Boot's tracing) sees each message handled. */
@WithLocalServices
class ObservationRegistryIT {

  @Test
  void theWorkersObserveIntoTheApplicationsRegistry(LocalSqs sqs) {
    QueuePair queue = sqs.createQueueWithDlq("spring-observed", 5);
    List<String> stopped = new CopyOnWriteArrayList<>();
    ObservationRegistry registry = ObservationRegistry.create();
    registry
        .observationConfig()
        .observationHandler(
            new ObservationHandler<Observation.Context>() {
              @Override
              public boolean supportsContext(Observation.Context context) {
                return true;
              }

              @Override
              public void onStop(Observation.Context context) {
                stopped.add(context.getName());
              }
            });
    new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(SqsWorkerAutoConfiguration.class))
        .withBean("applicationSqsClient", SqsAsyncClient.class, sqs::newAsyncClient)
        .withBean("observations", ObservationRegistry.class, () -> registry)
        .withBean("noteHandler", MessageHandler.class, () -> (payload, context) -> {})
        .withPropertyValues(
            "sqsworker.workers.notes.queue-url=" + queue.queueUrl(),
            "sqsworker.workers.notes.dlq-url=" + queue.dlqUrl(),
            "sqsworker.workers.notes.payload-type=java.lang.String",
            "sqsworker.workers.notes.wait-time=1s")
        .run(
            context -> {
              assertThat(context).hasNotFailed();
              sqs.client().sendMessage(b -> b.queueUrl(queue.queueUrl()).messageBody("hi"));
              await().untilAsserted(() -> assertThat(stopped).contains("sqsworker.message"));
            });
  }
}
