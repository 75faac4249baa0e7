package dev.pix2seq.api.sampling;

import java.util.random.RandomGenerator;

/**
 * Samples among the {@code k} most likely tokens (lowest ids first on ties), from
 * {@code softmax(logits / temperature)} renormalised over them. {@code k = 0} means no cut:
 * plain temperature sampling.
 *
 * @param k how many tokens stay candidates; 0 for all
 * @param temperature softmax temperature, > 0
 */
public record TopKSampler(int k, double temperature) implements Sampler {

  public TopKSampler {
    if (k < 0) {
      throw new IllegalArgumentException("top-k k must be >= 0, found " + k);
    }
    if (!(temperature > 0)) {
      throw new IllegalArgumentException("temperature must be > 0, found " + temperature);
    }
  }

  @Override
  public int sample(float[] logits, RandomGenerator rng) {
    double[] p = LogitMath.softmax(logits, temperature);
    if (k > 0 && k < p.length) {
      int[] order = LogitMath.descendingOrder(p);
      double[] kept = new double[p.length];
      double sum = 0;
      for (int i = 0; i < k; i++) {
        kept[order[i]] = p[order[i]];
        sum += p[order[i]];
      }
      for (int i = 0; i < kept.length; i++) {
        kept[i] /= sum;
      }
      p = kept;
    }
    return LogitMath.draw(p, rng);
  }
}
