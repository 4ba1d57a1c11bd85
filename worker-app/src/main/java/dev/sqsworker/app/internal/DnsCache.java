package dev.sqsworker.app.internal;

import java.security.Security;
import java.time.Duration;
import java.util.Optional;

/**
 * How long the JVM keeps a resolved host name. A managed database fails over by pointing its DNS
 * name at another server, so the JVM must not keep the old address for long: the application sets
 * {@value #PROPERTY} to {@link #DEFAULT_TTL} unless the operator set it (or the older {@value
 * #LEGACY_PROPERTY} system property) already. The JVM reads it at its first name lookup, so it is
 * set before anything connects.
 */
public final class DnsCache {

  /** The security property the JVM reads. */
  public static final String PROPERTY = "networkaddress.cache.ttl";

  /** The system property older JVMs read, honoured when set. */
  public static final String LEGACY_PROPERTY = "sun.net.inetaddr.ttl";

  /** The default: RDS and Aurora publish their endpoints with a 5 s TTL. */
  public static final Duration DEFAULT_TTL = Duration.ofSeconds(5);

  private DnsCache() {}

  /** Sets the default TTL unless one is configured. */
  public static void applyDefault() {
    ttlToSet(Security.getProperty(PROPERTY), System.getProperty(LEGACY_PROPERTY))
        .ifPresent(ttl -> Security.setProperty(PROPERTY, ttl));
  }

  /** The value to set, given the configured ones: none when the operator chose already. */
  static Optional<String> ttlToSet(String security, String legacy) {
    if (isSet(security) || isSet(legacy)) {
      return Optional.empty();
    }
    return Optional.of(String.valueOf(DEFAULT_TTL.toSeconds()));
  }

  private static boolean isSet(String value) {
    return value != null && !value.isBlank();
  }
}
