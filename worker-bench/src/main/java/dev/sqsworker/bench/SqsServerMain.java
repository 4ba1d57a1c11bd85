package dev.sqsworker.bench;

import dev.sqsworker.testkit.AwsEndpoint;
import dev.sqsworker.testkit.Backend;
import dev.sqsworker.testkit.LocalSqs;

/**
 * The benchmark's SQS server in a JVM of its own, so that its CPU time, allocation and garbage
 * collection are not charged to the clients being measured. Prints one line, {@code SQS <uri>
 * <region> <access key> <secret>}, then serves until its standard input closes.
 */
public final class SqsServerMain {

  static final String READY = "SQS ";

  private SqsServerMain() {}

  /** Starts the embedded server and serves until standard input ends. */
  public static void main(String[] args) throws Exception {
    try (LocalSqs sqs = LocalSqs.start(Backend.EMBEDDED)) {
      AwsEndpoint e = sqs.endpoint();
      System.out.println(
          READY + e.uri() + " " + e.region() + " " + e.accessKeyId() + " " + e.secretAccessKey());
      System.out.flush();
      while (System.in.read() != -1) {
        // The parent holds the pipe open for as long as it wants the server.
      }
    }
    System.exit(0);
  }
}
