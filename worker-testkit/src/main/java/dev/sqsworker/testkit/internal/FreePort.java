package dev.sqsworker.testkit.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/** Finds a free TCP port on the loopback interface. */
public final class FreePort {

  /** How often a server is tried on a new port before giving up. */
  static final int START_ATTEMPTS = 5;

  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(FreePort.class);

  private FreePort() {}

  /** Starts a server on a given port, or fails (e.g. the port was taken since it was found). */
  @FunctionalInterface
  public interface Starter<T> {
    /** Starts the server on {@code port}. */
    T start(int port) throws Exception;
  }

  /**
   * Starts a server on a free port, trying another port when the one found was taken meanwhile.
   *
   * @param server the server's name, for messages
   * @throws IllegalStateException with the last failure when no attempt succeeded
   */
  public static <T> T startOnFreePort(String server, Starter<T> starter) {
    Exception last = null;
    for (int attempt = 0; attempt < START_ATTEMPTS; attempt++) {
      int port = find();
      try {
        T started = starter.start(port);
        LOG.debug("{} listening on port {}", server, port);
        return started;
      } catch (Exception e) {
        last = e;
        LOG.debug("{} could not start on port {}, retrying", server, port, e);
      }
    }
    throw new IllegalStateException(server + " did not start", last);
  }

  /** A port that was free a moment ago; servers that take it should retry if it was taken since. */
  public static int find() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      socket.setReuseAddress(true);
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("No free local port", e);
    }
  }
}
