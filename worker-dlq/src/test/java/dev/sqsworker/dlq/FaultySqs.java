package dev.sqsworker.dlq;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.function.Consumer;
import java.util.function.Function;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.ReceiveMessageRequest;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequest;
import software.amazon.awssdk.services.sqs.model.SendMessageRequest;
import software.amazon.awssdk.services.sqs.model.SqsException;

/**
 * Fault injection: a real client, except that requests a rule picks fail the way SQS fails them
 * (the local server does not enforce SQS's size limit, nor throttle).
 */
public final class FaultySqs {

  private FaultySqs() {}

  /**
   * Wraps a client; {@code fault} sees every request object and returns the exception to throw, or
   * {@code null} to let the real client answer.
   */
  public static SqsClient wrap(SqsClient real, Function<Object, SqsException> fault) {
    InvocationHandler handler =
        (proxy, method, args) -> {
          if (args != null && args.length == 1) {
            if (method.isDefault() && method.getParameterTypes()[0] == Consumer.class) {
              // The SDK's builder-style overload builds the request and calls the plain one.
              return InvocationHandler.invokeDefault(proxy, method, args);
            }
            SqsException failure = fault.apply(args[0]);
            if (failure != null) {
              throw failure;
            }
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

  /** Refuses sends whose body is longer than the limit, as SQS refuses too-large messages. */
  public static SqsClient sizeLimited(SqsClient real, int maxBodyLength) {
    return wrap(
        real,
        request -> {
          boolean tooLong =
              request instanceof SendMessageBatchRequest batch
                      && batch.entries().stream()
                          .anyMatch(e -> e.messageBody().length() > maxBodyLength)
                  || request instanceof SendMessageRequest single
                      && single.messageBody().length() > maxBodyLength;
          return tooLong
              ? error(
                  400,
                  "InvalidParameterValue",
                  "One or more parameters are invalid. Reason: Message must be shorter than 262144"
                      + " bytes.")
              : null;
        });
  }

  /** Throttles every receive, as SQS does past its limits (after the SDK's own retries). */
  public static SqsClient throttlingReceives(SqsClient real) {
    return wrap(
        real,
        request ->
            request instanceof ReceiveMessageRequest
                ? error(400, "ThrottlingException", "Rate exceeded")
                : null);
  }

  private static SqsException error(int status, String code, String message) {
    return (SqsException)
        SqsException.builder()
            .statusCode(status)
            .awsErrorDetails(
                AwsErrorDetails.builder().errorCode(code).errorMessage(message).build())
            .message(message)
            .build();
  }
}
