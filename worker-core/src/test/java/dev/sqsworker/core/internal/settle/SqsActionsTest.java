package dev.sqsworker.core.internal.settle;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.sqs.model.SqsException;

class SqsActionsTest {

  private static SqsException entryFailure(String code, String message) {
    return (SqsException)
        SqsException.builder()
            .message(message)
            .awsErrorDetails(AwsErrorDetails.builder().errorCode(code).build())
            .build();
  }

  @Test
  void serverSideAndThrottledFailuresAreRetried() {
    assertThat(SqsActions.isTransient(entryFailure("InternalError", "boom"))).isTrue();
    assertThat(SqsActions.isTransient(entryFailure("ServiceUnavailable", "later"))).isTrue();
    assertThat(SqsActions.isTransient(entryFailure("ThrottlingException", "slow"))).isTrue();
    assertThat(SqsActions.isTransient(SdkClientException.create("connection reset"))).isTrue();
  }

  @Test
  void refusalsAreNotRetried() {
    assertThat(SqsActions.isTransient(entryFailure("AccessDenied", "no"))).isFalse();
    assertThat(SqsActions.isTransient(entryFailure("ReceiptHandleIsInvalid", "gone"))).isFalse();
  }

  @Test
  void anInvalidReceiptIsRecognisedByCodeOrText() {
    assertThat(SqsActions.isInvalidReceipt(entryFailure("ReceiptHandleIsInvalid", "x"))).isTrue();
    assertThat(
            SqsActions.isInvalidReceipt(
                entryFailure("InvalidParameterValue", "The receipt handle \"abc\" is not valid.")))
        .isTrue();
    assertThat(SqsActions.isInvalidReceipt(entryFailure("InternalError", "boom"))).isFalse();
  }
}
