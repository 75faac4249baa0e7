package dev.pix2seq.runtime.train;

/**
 * Seeds derived from the run's seed and a step (or other) index with the SplitMix64 finaliser,
 * so neighbouring indices give unrelated generators.
 */
final class StepSeeds {
  private static final long GOLDEN_GAMMA = 0x9E3779B97F4A7C15L;

  private StepSeeds() {}

  /** The seed of the generator of everything random in step {@code step}. */
  static long of(long seed, long step) {
    return mix(seed + GOLDEN_GAMMA * (mix(step) + 1));
  }

  /** The seed of index {@code index} within purpose {@code purpose} (e.g. a task's epoch). */
  static long of(long seed, long purpose, long index) {
    return of(of(seed, purpose) ^ 0x5DEECE66DL, index);
  }

  static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
