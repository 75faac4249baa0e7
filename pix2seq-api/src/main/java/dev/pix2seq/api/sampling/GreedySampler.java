package dev.pix2seq.api.sampling;

import java.util.random.RandomGenerator;

/** Always the most likely token (lowest id on ties). */
public record GreedySampler() implements Sampler {
  @Override
  public int sample(float[] logits, RandomGenerator rng) {
    return LogitMath.argmax(logits);
  }
}
