package dev.pix2seq.api.sampling;

import java.util.Arrays;
import java.util.random.RandomGenerator;

/**
 * Nucleus sampling by the official Pix2seq rule ({@code top_logits} of the official code), which
 * keeps fewer tokens than {@link TopPSampler}: after dividing the logits by the temperature, it
 * keeps the largest prefix of the most likely tokens whose cumulative probability does not exceed
 * {@code p} (always at least the most likely one), plus every token whose logit ties the last one
 * kept. The token whose probability crosses {@code p} is not kept. The softmax and the cumulative
 * sum are computed in float32, as in the official code; at {@code p = 1} every token is kept.
 *
 * <p>Examples (probabilities, p: kept): {@code 0.3 0.25 0.2 0.15 0.1}, 0.4: the first only
 * ({@link TopPSampler} keeps two); {@code 0.35 0.05 0.3 0.3}, 0.8: the first, third and fourth;
 * five ties of 0.2, 0.4: all five.
 *
 * @param p the probability mass not to exceed, in (0, 1]
 * @param temperature softmax temperature, > 0
 */
public record OfficialTopPSampler(double p, double temperature) implements Sampler {

  public OfficialTopPSampler {
    TopPSampler.checkArguments(p, temperature);
  }

  @Override
  public int sample(float[] logits, RandomGenerator rng) {
    return LogitMath.draw(LogitMath.softmax(kept(logits), 1), rng);
  }

  /**
   * The logits divided by the temperature, with every token the rule drops set to negative
   * infinity.
   */
  float[] kept(float[] logits) {
    float inverse = (float) (1 / temperature);
    float[] scaled = new float[logits.length];
    for (int i = 0; i < logits.length; i++) {
      scaled[i] = temperature == 1 ? logits[i] : logits[i] * inverse;
    }
    if (p >= 1) {
      return scaled;
    }
    float threshold = Math.min(prefixThreshold(scaled, p), max(scaled));
    for (int i = 0; i < scaled.length; i++) {
      if (scaled[i] < threshold) {
        scaled[i] = Float.NEGATIVE_INFINITY;
      }
    }
    return scaled;
  }

  /**
   * The nucleus bound of the official rule before its "at least the most likely token" clause:
   * the smallest logit of the largest prefix of the sorted logits whose cumulative probability
   * (float32 softmax and sum) does not exceed {@code p}; positive infinity when even the most
   * likely token exceeds it. The official rule keeps the logits {@code >= min(bound, max)}.
   *
   * @param logits the logits, already divided by the temperature
   * @param p the probability mass not to exceed
   */
  public static float prefixThreshold(float[] logits, double p) {
    float[] sorted = logits.clone();
    Arrays.sort(sorted);
    int n = sorted.length;
    float max = sorted[n - 1];
    float sum = 0;
    float[] exp = new float[n];
    for (int i = n - 1; i >= 0; i--) {
      exp[i] = (float) Math.exp(sorted[i] - max);
      sum += exp[i];
    }
    float threshold = Float.POSITIVE_INFINITY;
    float cumulative = 0;
    float limit = (float) p;
    for (int i = n - 1; i >= 0; i--) {
      cumulative += exp[i] / sum;
      if (cumulative > limit) {
        break;
      }
      threshold = sorted[i];
    }
    return threshold;
  }

  private static float max(float[] values) {
    float max = Float.NEGATIVE_INFINITY;
    for (float v : values) {
      max = Math.max(max, v);
    }
    return max;
  }
}
