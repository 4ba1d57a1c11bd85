package dev.sqsworker.testkit.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.BindException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class FreePortTest {

  @Test
  void aTakenPortIsRetriedOnAnotherOne() {
    List<Integer> tried = new ArrayList<>();
    String started =
        FreePort.startOnFreePort(
            "Test server",
            port -> {
              tried.add(port);
              if (tried.size() < 3) {
                throw new BindException("port " + port + " taken");
              }
              return "on " + port;
            });
    assertThat(tried).hasSize(3);
    assertThat(started).isEqualTo("on " + tried.get(2));
  }

  @Test
  void givesUpNamingTheServerWithTheLastFailure() {
    assertThatThrownBy(
            () ->
                FreePort.startOnFreePort(
                    "Test server",
                    port -> {
                      throw new BindException("port " + port + " taken");
                    }))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("Test server did not start")
        .hasCauseInstanceOf(BindException.class);
  }
}
