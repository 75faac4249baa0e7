package dev.pix2seq.backend.parity;

import java.util.List;

/**
 * The two engines of a parity test, by backend name: {@code source} creates (or trains) and
 * saves, {@code target} loads. Names rather than instances, so that the test cases exist even
 * while a backend is missing and each one is reported as skipped.
 *
 * @param source the backend that writes the checkpoint
 * @param target the backend that reads it
 */
record EnginePair(String source, String target) {

  /** DJL to TensorFlow, then TensorFlow to DJL. */
  static final List<EnginePair> BOTH_WAYS =
      List.of(new EnginePair("djl", "tf"), new EnginePair("tf", "djl"));

  /**
   * {@code base} for the first direction, another seed for the second: both backends draw the
   * documented initial values, so the two directions would otherwise test the same weights.
   */
  long seed(long base) {
    return equals(BOTH_WAYS.get(0)) ? base : base + 1000;
  }

  @Override
  public String toString() {
    return source + " -> " + target;
  }
}
