package dev.sqsworker.infra;

/** The CPU architecture of a worker's Fargate tasks; the image must be built for it. */
public enum CpuArchitecture {
  /** x86-64 (amd64): what Jib builds by default. */
  X86_64,
  /** ARM64 (Graviton): cheaper per vCPU-hour; needs an arm64 or multi-platform image. */
  ARM64
}
