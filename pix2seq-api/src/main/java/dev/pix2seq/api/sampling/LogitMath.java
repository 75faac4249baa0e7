package dev.pix2seq.api.sampling;

/** Numerically stable softmax helpers over one row of logits (negative infinity allowed). */
public final class LogitMath {
  private LogitMath() {}

  /** Index of the largest logit; the lowest index wins ties. */
  public static int argmax(float[] logits) {
    int best = 0;
    for (int i = 1; i < logits.length; i++) {
      if (logits[i] > logits[best]) {
        best = i;
      }
    }
    return best;
  }

  /** {@code log(sum(exp(logits)))}, stable; negative infinity when every logit is. */
  public static double logSumExp(float[] logits) {
    float max = logits[argmax(logits)];
    if (max == Float.NEGATIVE_INFINITY) {
      return Double.NEGATIVE_INFINITY;
    }
    double sum = 0;
    for (float l : logits) {
      sum += Math.exp(l - max);
    }
    return max + Math.log(sum);
  }

  /** Log probability of one token under {@code softmax(logits)}. */
  public static float logProb(float[] logits, int token) {
    return (float) (logits[token] - logSumExp(logits));
  }

  /** {@code softmax(logits / temperature)} as doubles. */
  public static double[] softmax(float[] logits, double temperature) {
    if (!(temperature > 0)) {
      throw new IllegalArgumentException("temperature must be > 0, found " + temperature);
    }
    float max = logits[argmax(logits)];
    if (max == Float.NEGATIVE_INFINITY || Float.isNaN(max)) {
      throw new IllegalArgumentException("logits hold no finite value");
    }
    double[] p = new double[logits.length];
    double sum = 0;
    for (int i = 0; i < logits.length; i++) {
      p[i] = Math.exp((logits[i] - max) / temperature);
      sum += p[i];
    }
    for (int i = 0; i < p.length; i++) {
      p[i] /= sum;
    }
    return p;
  }

  /** Indices sorted by descending value; equal values keep ascending index order. */
  static int[] descendingOrder(double[] values) {
    return java.util.stream.IntStream.range(0, values.length)
        .boxed()
        .sorted((a, b) -> Double.compare(values[b], values[a]))
        .mapToInt(Integer::intValue)
        .toArray();
  }

  /** Draws an index from a distribution whose entries sum to about 1. */
  static int draw(double[] probs, java.util.random.RandomGenerator rng) {
    double u = rng.nextDouble();
    double acc = 0;
    int lastPositive = -1;
    for (int i = 0; i < probs.length; i++) {
      if (probs[i] > 0) {
        acc += probs[i];
        lastPositive = i;
        if (u < acc) {
          return i;
        }
      }
    }
    return lastPositive;
  }
}
