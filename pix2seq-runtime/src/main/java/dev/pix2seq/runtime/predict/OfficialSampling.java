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
 * prompt, exactly {@code steps} tokens per row, each drawn from the raw logits by the official
 * nucleus rule ({@link OfficialTopPSampler}), with no constraint and no early stop. Each row
 * samples from its own stream, seeded from {@code rng} in row order, so the result does not
 * depend on how rows are grouped. Rows are decoded in groups of at most {@link #MAX_ROWS}, each
 * group in its own session, which bounds the memory of the per-row attention caches.
 */
final class OfficialSampling {

  /** The most rows decoded in one session. */
  static final int MAX_ROWS = 32;

  private OfficialSampling() {}

  /**
   * What was sampled.
   *
   * @param tokens the sampled tokens, {@code [row][step]}
   * @param probabilities each sampled token's probability under the softmax of the raw logits
   * @param keptLogits the raw logits of the steps asked for, {@code [row][k]} in step order
   */
  record Sampled(int[][] tokens, double[][] probabilities, float[][][] keptLogits) {}

  /**
   * Samples {@code steps} tokens after the one-token {@code prompt} for each of the {@code
   * images} encoded in {@code features} (one row per image), keeping the logits of the steps
   * {@code keepLogits} accepts.
   */
  static Sampled sample(Pix2seqModel model, ImageFeatures features, int images, int prompt,
      int steps, double p, RandomGenerator rng, IntPredicate keepLogits) {
    int[] imageOfRow = new int[images];
    Arrays.setAll(imageOfRow, i -> i);
    int[][] prompts = new int[images][];
    Arrays.fill(prompts, new int[] {prompt});
    return sample(model, features, imageOfRow, prompts, steps, p, rng, keepLogits);
  }

  /**
   * Samples {@code steps} tokens after {@code prompts[r]} for every row {@code r}, which decodes
   * image {@code imageOfRow[r]} of {@code features}, keeping the logits of the steps {@code
   * keepLogits} accepts.
   *
   * @throws IllegalArgumentException if the prompts differ in length or do not match the rows
   */
  static Sampled sample(Pix2seqModel model, ImageFeatures features, int[] imageOfRow,
      int[][] prompts, int steps, double p, RandomGenerator rng, IntPredicate keepLogits) {
    int rows = imageOfRow.length;
    if (prompts.length != rows) {
      throw new IllegalArgumentException(
          "expected one prompt per row (" + rows + "), found " + prompts.length);
    }
    for (int[] prompt : prompts) {
      if (prompt.length != prompts[0].length || prompt.length == 0) {
        throw new IllegalArgumentException("the prompts of one decoding must share one length");
      }
    }
    OfficialTopPSampler sampler = new OfficialTopPSampler(p, 1);
    RandomGenerator[] streams = new RandomGenerator[rows];
    for (int r = 0; r < rows; r++) {
      streams[r] = new SplittableRandom(rng.nextLong());
    }
    int kept = 0;
    for (int step = 0; step < steps; step++) {
      kept += keepLogits.test(step) ? 1 : 0;
    }
    Sampled out = new Sampled(
        new int[rows][steps], new double[rows][steps], new float[rows][kept][]);
    for (int from = 0; from < rows; from += MAX_ROWS) {
      int to = Math.min(rows, from + MAX_ROWS);
      decode(model, features, imageOfRow, prompts, from, to, steps, sampler, streams,
          keepLogits, out);
    }
    return out;
  }

  /** Decodes rows {@code from..to-1} into {@code out}. */
  private static void decode(Pix2seqModel model, ImageFeatures features, int[] imageOfRow,
      int[][] prompts, int from, int to, int steps, OfficialTopPSampler sampler,
      RandomGenerator[] streams, IntPredicate keepLogits, Sampled out) {
    int n = to - from;
    try (DecodingSession session =
        model.decoder().open(features, Arrays.copyOfRange(imageOfRow, from, to))) {
      int[][] next = Arrays.copyOfRange(prompts, from, to);
      int k = 0;
      for (int step = 0; step < steps; step++) {
        float[][] logits = session.feed(next);
        boolean keep = keepLogits.test(step);
        next = new int[n][1];
        for (int i = 0; i < n; i++) {
          int r = from + i;
          int token = sampler.sample(logits[i], streams[r]);
          out.tokens()[r][step] = token;
          out.probabilities()[r][step] = Math.exp(LogitMath.logProb(logits[i], token));
          if (keep) {
            out.keptLogits()[r][k] = logits[i].clone();
          }
          next[i][0] = token;
        }
        k += keep ? 1 : 0;
      }
    }
  }
}
