package dev.sqsworker.testkit;

import dev.sqsworker.testkit.internal.LocalStackServer;
import dev.sqsworker.testkit.internal.S3MockServer;
import dev.sqsworker.testkit.internal.S3ProxyServer;
import java.util.ArrayList;
import java.util.List;

/**
 * Real S3-compatible servers on free local ports, in two roles, because no single embedded server
 * does everything S3 does:
 *
 * <ul>
 *   <li>{@link #signing()} checks every request's SigV4 (or V2) signature against fixed
 *       credentials, like S3: use it for pre-signed URLs (a tampered or expired URL gets 403). It
 *       is S3Proxy with an in-memory store; it has no versioning and no lifecycle API.
 *   <li>{@link #full()} implements versioning, lifecycle configuration, default encryption and the
 *       public access block: use it for bucket setup and versions. It is S3Mock; it accepts any
 *       signature.
 * </ul>
 *
 * <p>Both verify a body against its {@code x-amz-checksum-sha256} header. Neither implements the
 * bucket default-encryption or public-access-block APIs. With {@link Backend#LOCALSTACK} both roles
 * are the same LocalStack endpoint. Closing this object stops the servers and their clients.
 */
public final class LocalS3 implements AutoCloseable {

  private final S3Server signing;
  private final S3Server full;
  private final List<AutoCloseable> servers;

  private LocalS3(S3Server signing, S3Server full, List<AutoCloseable> servers) {
    this.signing = signing;
    this.full = full;
    this.servers = servers;
  }

  /** Starts the backend chosen by the {@value Backend#PROPERTY} system property. */
  public static LocalS3 start() {
    return start(Backend.fromSystemProperty());
  }

  /**
   * Starts the given backend: both embedded servers (a few seconds, S3Mock is a Spring Boot
   * application), or one LocalStack container.
   *
   * @throws ServiceUnavailableException if the backend cannot run here (LocalStack without Docker)
   */
  public static LocalS3 start(Backend backend) {
    return switch (backend) {
      case EMBEDDED -> startEmbedded();
      case LOCALSTACK -> {
        LocalStackServer server = LocalStackServer.start();
        S3Server both = new S3Server("localstack", server.endpoint());
        yield new LocalS3(both, both, List.of(server));
      }
    };
  }

  private static LocalS3 startEmbedded() {
    List<AutoCloseable> started = new ArrayList<>();
    try {
      S3ProxyServer proxy = S3ProxyServer.start();
      started.add(proxy);
      S3MockServer mock = S3MockServer.start();
      started.add(mock);
      return new LocalS3(
          new S3Server("s3proxy", proxy.endpoint()),
          new S3Server("s3mock", mock.endpoint()),
          List.copyOf(started));
    } catch (RuntimeException e) {
      for (AutoCloseable server : started) {
        try {
          server.close();
        } catch (Exception closing) {
          e.addSuppressed(closing);
        }
      }
      throw e;
    }
  }

  /** The server that enforces request signatures, for pre-signed URL tests. */
  public S3Server signing() {
    return signing;
  }

  /** The server with versioning, lifecycle, encryption and public access block APIs. */
  public S3Server full() {
    return full;
  }

  /** Stops the clients and the servers. */
  @Override
  public void close() {
    signing.closeClients();
    if (full != signing) {
      full.closeClients();
    }
    IllegalStateException failure = null;
    for (int i = servers.size() - 1; i >= 0; i--) {
      try {
        servers.get(i).close();
      } catch (Exception e) {
        if (failure == null) {
          failure = new IllegalStateException("Could not stop every S3 server", e);
        } else {
          failure.addSuppressed(e);
        }
      }
    }
    if (failure != null) {
      throw failure;
    }
  }
}
