package dev.pix2seq.api.sampling;

import java.util.random.RandomGenerator;

/**
 * Chooses the next token from one row of logits. Logits of illegal tokens are negative
 * infinity (the task constraint is applied before sampling); at least one logit is finite.
 * Implementations are immutable and thread-safe.
 */
@FunctionalInterface
public interface Sampler {

  /**
   * The chosen token id.
   *
   * @param logits unnormalised scores, not modified
   * @param rng randomness source (ignored by deterministic samplers)
   */
  int sample(float[] logits, RandomGenerator rng);
}
