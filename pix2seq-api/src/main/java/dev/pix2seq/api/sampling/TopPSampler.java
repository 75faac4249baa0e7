package dev.pix2seq.api.sampling;

import java.util.random.RandomGenerator;

/**
 * Nucleus sampling: samples among the smallest set of most likely tokens whose probability
 * under {@code softmax(logits / temperature)} reaches {@code p} (always at least one token).
 *
 * @param p probability mass kept, in (0, 1]
 * @param temperature softmax temperature, > 0
 */
public record TopPSampler(double p, double temperature) implements Sampler {

  public TopPSampler {
    checkArguments(p, temperature);
  }

  /** The checks every top-p sampler makes of its mass and temperature. */
  static void checkArguments(double p, double temperature) {
    if (!(p > 0 && p <= 1)) {
      throw new IllegalArgumentException("top-p p must be in (0, 1], found " + p);
    }
    if (!(temperature > 0)) {
      throw new IllegalArgumentException("temperature must be > 0, found " + temperature);
    }
  }

  @Override
  public int sample(float[] logits, RandomGenerator rng) {
    double[] probs = LogitMath.softmax(logits, temperature);
    int[] order = LogitMath.descendingOrder(probs);
    double[] kept = new double[probs.length];
    double mass = 0;
    for (int i = 0; i < order.length && (i == 0 || mass < p); i++) {
      kept[order[i]] = probs[order[i]];
      mass += probs[order[i]];
    }
    for (int i = 0; i < kept.length; i++) {
      kept[i] /= mass;
    }
    return LogitMath.draw(kept, rng);
  }
}
