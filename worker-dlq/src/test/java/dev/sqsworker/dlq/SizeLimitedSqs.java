package dev.sqsworker.dlq;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequest;
import software.amazon.awssdk.services.sqs.model.SendMessageRequest;
import software.amazon.awssdk.services.sqs.model.SqsException;

/**
 * Fault injection: a real client whose sends are refused, as SQS refuses them, when a body is
 * longer than a limit (the local server does not enforce SQS's size limit).
 */
final class SizeLimitedSqs {

  private SizeLimitedSqs() {}

  static SqsClient wrap(SqsClient real, int maxBodyLength) {
    InvocationHandler handler =
        (proxy, method, args) -> {
          if (args != null && args.length == 1 && !method.getParameterTypes()[0].isInterface()) {
            if (args[0] instanceof SendMessageBatchRequest batch
                && batch.entries().stream()
                    .anyMatch(e -> e.messageBody().length() > maxBodyLength)) {
              throw tooLong();
            }
            if (args[0] instanceof SendMessageRequest single
                && single.messageBody().length() > maxBodyLength) {
              throw tooLong();
            }
          }
          if (method.isDefault()
              && args != null
              && args.length == 1
              && method.getParameterTypes()[0] == java.util.function.Consumer.class) {
            return InvocationHandler.invokeDefault(proxy, method, args);
          }
          try {
            return method.invoke(real, args);
          } catch (InvocationTargetException e) {
            throw e.getCause();
          }
        };
    return (SqsClient)
        Proxy.newProxyInstance(
            SqsClient.class.getClassLoader(), new Class<?>[] {SqsClient.class}, handler);
  }

  private static SqsException tooLong() {
    return (SqsException)
        SqsException.builder()
            .statusCode(400)
            .awsErrorDetails(
                AwsErrorDetails.builder()
                    .errorCode("InvalidParameterValue")
                    .errorMessage(
                        "One or more parameters are invalid. Reason: Message must be shorter"
                            + " than 262144 bytes.")
                    .build())
            .build();
  }
}
