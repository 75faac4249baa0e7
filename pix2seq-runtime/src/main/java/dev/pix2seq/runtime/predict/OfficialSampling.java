package dev.pix2seq.runtime.predict;

import dev.pix2seq.api.model.DecodingSession;
import dev.pix2seq.api.model.ImageFeatures;
import dev.pix2seq.api.model.Pix2seqModel;
import dev.pix2seq.api.sampling.LogitMath;
import dev.pix2seq.api.sampling.OfficialTopPSampler;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.function.IntPredicate;
import java.util.random.RandomGenerator;

/**
 * The official Pix2seq decoding loop (docs/official-task-conventions.md section 0.4): after a
 * one-token task prompt, exactly {@code steps} tokens per image, each drawn from the raw logits
 * by the official nucleus rule ({@link OfficialTopPSampler}), with no constraint and no early
 * stop. Each image samples from its own stream, seeded from {@code rng} in image order.
 */
final class OfficialSampling {

  private OfficialSampling() {}

  /**
   * What was sampled.
   *
   * @param tokens the sampled tokens, {@code [image][step]}
   * @param probabilities each sampled token's probability under the softmax of the raw logits
   * @param keptLogits the raw logits of the steps asked for, {@code [image][k]} in step order
   */
  record Sampled(int[][] tokens, double[][] probabilities, float[][][] keptLogits) {}

  /**
   * Samples {@code steps} tokens after {@code prompt} for each of the {@code images} encoded in
   * {@code features}, keeping the logits of the steps {@code keepLogits} accepts.
   */
  static Sampled sample(Pix2seqModel model, ImageFeatures features, int images, int prompt,
      int steps, double p, RandomGenerator rng, IntPredicate keepLogits) {
    OfficialTopPSampler sampler = new OfficialTopPSampler(p, 1);
    RandomGenerator[] streams = new RandomGenerator[images];
    for (int i = 0; i < images; i++) {
      streams[i] = new SplittableRandom(rng.nextLong());
    }
    int kept = 0;
    for (int step = 0; step < steps; step++) {
      kept += keepLogits.test(step) ? 1 : 0;
    }
    int[][] tokens = new int[images][steps];
    double[][] probabilities = new double[images][steps];
    float[][][] keptLogits = new float[images][kept][];
    int[] rows = new int[images];
    Arrays.setAll(rows, i -> i);
    try (DecodingSession session = model.decoder().open(features, rows)) {
      int[][] next = new int[images][1];
      for (int[] row : next) {
        row[0] = prompt;
      }
      int k = 0;
      for (int step = 0; step < steps; step++) {
        float[][] logits = session.feed(next);
        boolean keep = keepLogits.test(step);
        for (int i = 0; i < images; i++) {
          int token = sampler.sample(logits[i], streams[i]);
          tokens[i][step] = token;
          probabilities[i][step] = Math.exp(LogitMath.logProb(logits[i], token));
          if (keep) {
            keptLogits[i][k] = logits[i].clone();
          }
          next[i][0] = token;
        }
        k += keep ? 1 : 0;
      }
    }
    return new Sampled(tokens, probabilities, keptLogits);
  }
}
