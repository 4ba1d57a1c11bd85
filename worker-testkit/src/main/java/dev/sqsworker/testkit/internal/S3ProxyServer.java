package dev.sqsworker.testkit.internal;

import dev.sqsworker.testkit.AwsEndpoint;
import java.net.URI;
import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.nio2blob.TransientNio2BlobStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * S3Proxy on a free loopback port with an in-memory store, checking every request's AWS signature
 * (V2 or V4) against one fixed identity, as S3 does: a tampered or expired pre-signed URL is
 * refused with 403.
 */
public final class S3ProxyServer implements AutoCloseable {

  /** The access key id S3Proxy accepts. */
  public static final String ACCESS_KEY_ID = "local-access-key";

  /** The secret access key S3Proxy checks signatures with. */
  public static final String SECRET_ACCESS_KEY = "local-secret-key";

  private static final Logger LOG = LoggerFactory.getLogger(S3ProxyServer.class);

  private final S3Proxy proxy;
  private final AwsEndpoint endpoint;

  private S3ProxyServer(S3Proxy proxy, int port) {
    this.proxy = proxy;
    this.endpoint =
        new AwsEndpoint(
            URI.create("http://localhost:" + port),
            AwsEndpoint.DEFAULT_REGION,
            ACCESS_KEY_ID,
            SECRET_ACCESS_KEY);
  }

  /** Starts a server, retrying on another port if the chosen one was taken meanwhile. */
  public static S3ProxyServer start() {
    return FreePort.startOnFreePort(
        "S3Proxy",
        port -> {
          S3Proxy proxy =
              S3Proxy.builder()
                  .blobStore(new TransientNio2BlobStore())
                  .endpoint(URI.create("http://127.0.0.1:" + port))
                  .awsAuthentication(
                      AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY_ID, SECRET_ACCESS_KEY)
                  // Headers S3Proxy does not implement (server-side encryption) are still covered
                  // by the signature, but are otherwise ignored instead of failing with 501.
                  .ignoreUnknownHeaders(true)
                  .jettyMaxThreads(16)
                  .build();
          try {
            proxy.start();
          } catch (Exception e) {
            stopQuietly(proxy);
            throw e;
          }
          return new S3ProxyServer(proxy, port);
        });
  }

  /** Where it listens and the credentials it checks signatures with. */
  public AwsEndpoint endpoint() {
    return endpoint;
  }

  @Override
  public void close() {
    try {
      proxy.stop();
    } catch (Exception e) {
      throw new IllegalStateException("Could not stop S3Proxy at " + endpoint.uri(), e);
    }
  }

  private static void stopQuietly(S3Proxy proxy) {
    try {
      proxy.stop();
    } catch (Exception e) {
      LOG.debug("S3Proxy did not stop cleanly after a failed start", e);
    }
  }
}
