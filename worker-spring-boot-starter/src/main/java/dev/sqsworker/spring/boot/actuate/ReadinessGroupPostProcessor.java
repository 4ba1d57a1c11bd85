package dev.sqsworker.spring.boot.actuate;

import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.actuate.endpoint.SecurityContext;
import org.springframework.boot.actuate.health.AdditionalHealthEndpointPath;
import org.springframework.boot.actuate.health.HealthEndpointGroup;
import org.springframework.boot.actuate.health.HealthEndpointGroups;
import org.springframework.boot.actuate.health.HealthEndpointGroupsPostProcessor;
import org.springframework.boot.actuate.health.HttpCodeStatusMapper;
import org.springframework.boot.actuate.health.StatusAggregator;

/**
 * Makes the workers' health ({@value #CONTRIBUTOR}) part of the {@value #READINESS} health group:
 * an application whose workers cannot poll is not ready. An existing readiness group (Kubernetes
 * probes, or one defined by {@code management.endpoint.health.group.readiness.*}) gains the member;
 * without one, a readiness group of {@code readinessState} and the workers is added, so {@code
 * /actuator/health/readiness} always reports them.
 */
public final class ReadinessGroupPostProcessor implements HealthEndpointGroupsPostProcessor {

  /** The readiness group's name. */
  public static final String READINESS = "readiness";

  /** The workers' health contributor's name. */
  public static final String CONTRIBUTOR = "sqsWorkers";

  @Override
  public HealthEndpointGroups postProcessHealthEndpointGroups(HealthEndpointGroups groups) {
    HealthEndpointGroup existing = groups.get(READINESS);
    HealthEndpointGroup readiness =
        existing != null
            ? new WithWorkers(existing, existing)
            : new WithWorkers(null, groups.getPrimary());
    Map<String, HealthEndpointGroup> others = new LinkedHashMap<>();
    for (String name : groups.getNames()) {
      others.put(name, groups.get(name));
    }
    others.put(READINESS, readiness);
    return HealthEndpointGroups.of(groups.getPrimary(), others);
  }

  /** A group with the workers among its members. */
  private static final class WithWorkers implements HealthEndpointGroup {
    private final HealthEndpointGroup group;
    private final HealthEndpointGroup settings;

    /**
     * @param group the group to extend, or null for a new one of readinessState and the workers
     * @param settings where details, status order and HTTP codes come from
     */
    WithWorkers(HealthEndpointGroup group, HealthEndpointGroup settings) {
      this.group = group;
      this.settings = settings;
    }

    @Override
    public boolean isMember(String name) {
      // Nested members are asked for by path: sqsWorkers/orders.
      if (CONTRIBUTOR.equals(name) || name.startsWith(CONTRIBUTOR + "/")) {
        return true;
      }
      return group != null ? group.isMember(name) : "readinessState".equals(name);
    }

    @Override
    public boolean showComponents(SecurityContext securityContext) {
      return settings.showComponents(securityContext);
    }

    @Override
    public boolean showDetails(SecurityContext securityContext) {
      return settings.showDetails(securityContext);
    }

    @Override
    public StatusAggregator getStatusAggregator() {
      return settings.getStatusAggregator();
    }

    @Override
    public HttpCodeStatusMapper getHttpCodeStatusMapper() {
      return settings.getHttpCodeStatusMapper();
    }

    @Override
    public AdditionalHealthEndpointPath getAdditionalPath() {
      return group != null ? group.getAdditionalPath() : null;
    }
  }
}
