package dev.sqsworker.testkit.faults;

import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.IntPredicate;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * A downstream that fails on a schedule: wrap the call a handler makes, and the chosen calls throw
 * an {@link InjectedFault} instead of running.
 *
 * <pre>{@code
 * FaultSchedule payments = FaultSchedule.failCalls(1, 2);   // the first two calls fail
 * payments.call(() -> client.charge(order));                // in the handler
 * FaultSchedule flaky = FaultSchedule.failEvery(3);          // calls 3, 6, 9, ... fail
 * FaultSchedule outage = FaultSchedule.failWhile(down::get); // fails while the flag is set
 * }</pre>
 */
public final class FaultSchedule {

  private final IntPredicate fails;
  private final BooleanSupplier down;
  private final AtomicInteger calls = new AtomicInteger();
  private final AtomicInteger failures = new AtomicInteger();

  private FaultSchedule(IntPredicate fails, BooleanSupplier down) {
    this.fails = fails;
    this.down = down;
  }

  /** These calls (counted from 1) fail. */
  public static FaultSchedule failCalls(int... numbers) {
    Set<Integer> chosen = IntStream.of(numbers).boxed().collect(Collectors.toSet());
    return new FaultSchedule(chosen::contains, () -> false);
  }

  /** The first {@code n} calls fail. */
  public static FaultSchedule failFirst(int n) {
    return new FaultSchedule(call -> call <= n, () -> false);
  }

  /** Every {@code n}-th call fails. */
  public static FaultSchedule failEvery(int n) {
    if (n < 1) {
      throw new IllegalArgumentException("n must be at least 1, was " + n);
    }
    return new FaultSchedule(call -> call % n == 0, () -> false);
  }

  /** Calls fail while {@code down} says so. */
  public static FaultSchedule failWhile(BooleanSupplier down) {
    return new FaultSchedule(call -> false, down);
  }

  /**
   * Counts a call and throws if it is scheduled to fail.
   *
   * @throws InjectedFault naming the call
   */
  public void check() {
    int call = calls.incrementAndGet();
    if (fails.test(call) || down.getAsBoolean()) {
      failures.incrementAndGet();
      throw new InjectedFault("injected downstream failure on call " + call);
    }
  }

  /** Runs {@code work} unless this call is scheduled to fail. */
  public <T> T call(Callable<T> work) throws Exception {
    check();
    return work.call();
  }

  /** How many calls were made. */
  public int calls() {
    return calls.get();
  }

  /** How many calls failed. */
  public int failures() {
    return failures.get();
  }

  /** The failure a scheduled call throws. */
  public static final class InjectedFault extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** Creates the failure. */
    public InjectedFault(String message) {
      super(message);
    }
  }
}
