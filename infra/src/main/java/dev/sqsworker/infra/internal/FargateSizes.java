package dev.sqsworker.infra.internal;

import java.util.Map;
import java.util.Optional;

/** The CPU and memory combinations Fargate accepts for a Linux task. */
public final class FargateSizes {

  /** Per CPU size: lowest memory, highest memory and step, in MiB. */
  private record MemoryRange(int min, int max, int step) {
    boolean accepts(int memoryMiB) {
      return memoryMiB >= min && memoryMiB <= max && (memoryMiB - min) % step == 0;
    }
  }

  private static final Map<Integer, MemoryRange> BY_CPU =
      Map.of(
          256, new MemoryRange(512, 2048, 512),
          512, new MemoryRange(1024, 4096, 1024),
          1024, new MemoryRange(2048, 8192, 1024),
          2048, new MemoryRange(4096, 16384, 1024),
          4096, new MemoryRange(8192, 30720, 1024),
          8192, new MemoryRange(16384, 61440, 4096),
          16384, new MemoryRange(32768, 122880, 8192));

  private FargateSizes() {}

  /** Rejects a CPU value that is not a Fargate task size. */
  public static void requireCpu(int cpu) {
    if (!BY_CPU.containsKey(cpu)) {
      throw new IllegalArgumentException(
          "cpu must be one of 256, 512, 1024, 2048, 4096, 8192, 16384, was " + cpu);
    }
  }

  /** The problem with this memory size for this CPU size, if any. */
  public static Optional<String> memoryProblem(int cpu, int memoryMiB) {
    var range = BY_CPU.get(cpu);
    if (range == null || range.accepts(memoryMiB)) {
      return Optional.empty();
    }
    return Optional.of(
        "memoryMiB must be between "
            + range.min()
            + " and "
            + range.max()
            + " in steps of "
            + range.step()
            + " for cpu "
            + cpu
            + ", was "
            + memoryMiB);
  }
}
