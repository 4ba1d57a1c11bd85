package dev.sqsworker.app.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sqsworker.app.FakeEcsAgent;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Scale-in protection against a local fake of the ECS agent's endpoint, over real HTTP. */
class ScaleInProtectionIT {

  static final String PROTECT = "{\"ProtectionEnabled\":true,\"ExpiresInMinutes\":1}";
  static final String RELEASE = "{\"ProtectionEnabled\":false}";

  final FakeEcsAgent agent = FakeEcsAgent.start();
  final AtomicInteger inFlight = new AtomicInteger();
  final ScaleInProtection protection =
      new ScaleInProtection(
          new EcsTaskProtectionClient(agent.agentUri()),
          new ScaleInProtectionPolicy(
              Duration.ofMinutes(1), Duration.ZERO, Duration.ofMillis(300), Duration.ofMillis(500)),
          inFlight::get,
          Clock.systemUTC(),
          Duration.ofMillis(20));

  @AfterEach
  void stop() {
    protection.close();
    agent.close();
  }

  @Test
  void protectsWhileBusy_andReleasesAfterStayingIdle() {
    protection.start();
    inFlight.set(2);
    await().atMost(Duration.ofSeconds(5)).until(() -> agent.bodies().size() == 1);
    var protect = agent.requests().get(0);
    assertThat(protect.method()).isEqualTo("PUT");
    assertThat(protect.path()).isEqualTo("/api/task-1234/task-protection/v1/state");
    assertThat(protect.contentType()).isEqualTo("application/json");
    assertThat(protect.body()).isEqualTo(PROTECT);

    inFlight.set(0);
    await().atMost(Duration.ofSeconds(5)).until(() -> agent.bodies().size() == 2);
    assertThat(agent.bodies()).containsExactly(PROTECT, RELEASE);
    assertThat(Duration.between(protect.at(), agent.requests().get(1).at()))
        .isGreaterThanOrEqualTo(Duration.ofMillis(300));
  }

  @Test
  void retriesAfterTheAgentRefuses() {
    agent.failWith(400);
    protection.start();
    inFlight.set(1);
    await().atMost(Duration.ofSeconds(5)).until(() -> agent.bodies().size() == 1);
    agent.failWith(0);
    await().atMost(Duration.ofSeconds(5)).until(() -> agent.bodies().size() == 2);
    var requests = agent.requests();
    assertThat(agent.bodies()).containsExactly(PROTECT, PROTECT);
    assertThat(Duration.between(requests.get(0).at(), requests.get(1).at()))
        .isGreaterThanOrEqualTo(Duration.ofMillis(450));
  }

  @Test
  void closeReleasesProtectionAtOnce() {
    protection.start();
    inFlight.set(1);
    await().atMost(Duration.ofSeconds(5)).until(() -> agent.bodies().size() == 1);
    inFlight.set(0);
    protection.close();
    assertThat(agent.bodies()).containsExactly(PROTECT, RELEASE);
  }

  @Test
  void anIdleTaskNeverCallsTheAgent() {
    protection.tick();
    protection.tick();
    protection.close();
    assertThat(agent.requests()).isEmpty();
  }
}
