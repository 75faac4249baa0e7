package dev.pix2seq.tasks;

/**
 * Small pure functions the decoders share for reading a generated response: where it ends and
 * how probable its tokens were. None of them throws on odd input.
 */
public final class Responses {

  private Responses() {}

  /** Number of tokens before the first {@code eos}; all of them when there is none. */
  public static int lengthBeforeEos(int[] tokens, int eos) {
    for (int i = 0; i < tokens.length; i++) {
      if (tokens[i] == eos) {
        return i;
      }
    }
    return tokens.length;
  }

  /**
   * The probability of a token from its natural-log probability, clamped to [0, 1]; a NaN log
   * probability gives 0.
   */
  public static double probability(float logProb) {
    double p = Math.exp(logProb);
    if (!(p >= 0)) {
      return 0;
    }
    return Math.min(p, 1);
  }

  /**
   * Mean probability of the tokens {@code from} (inclusive) to {@code to} (exclusive); 0 for an
   * empty range. Indices are clipped to the array.
   */
  public static double meanProbability(float[] logProbs, int from, int to) {
    int a = Math.max(0, from);
    int b = Math.min(logProbs.length, to);
    if (b <= a) {
      return 0;
    }
    double sum = 0;
    for (int i = a; i < b; i++) {
      sum += probability(logProbs[i]);
    }
    return Math.min(1, Math.max(0, sum / (b - a)));
  }
}
