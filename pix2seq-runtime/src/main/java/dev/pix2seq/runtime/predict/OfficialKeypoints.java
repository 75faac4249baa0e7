package dev.pix2seq.runtime.predict;

import dev.pix2seq.api.model.ImageFeatures;
import dev.pix2seq.api.model.Pix2seqModel;
import dev.pix2seq.api.sampling.LogitMath;
import dev.pix2seq.api.sampling.OfficialTopPSampler;
import dev.pix2seq.api.value.Keypoint;
import dev.pix2seq.api.value.Keypoints;
import dev.pix2seq.api.value.Visibility;
import dev.pix2seq.api.vocab.VocabLayout;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

/**
 * Keypoints decoded as the official Pix2seq code decodes them, for imported official models
 * (docs/official-task-conventions.md section 3). Each instance is seen in its own official crop
 * ({@link OfficialFrame#keypointCrop}):
 *
 * <ol>
 *   <li>the prompt is {@code [keypoint, q(yMin), q(xMin), q(yMax), q(xMax), class]}, the box
 *       normalised over the crop's padded input ({@link OfficialTokens#instancePrompt});
 *   <li>exactly two tokens (y, x) per keypoint are sampled by {@link OfficialSampling} at p
 *       {@link #TOP_P}, with no constraint;
 *   <li>after decoding, the INVISIBLE token is suppressed: its raw logit is lowered by {@link
 *       #SUPPRESSION} at every position, and each position that sampled it is sampled again from
 *       the lowered logits (the sequence is not decoded again), by the official nucleus rule as
 *       it acts on a whole response, which keeps most of the vocabulary ({@link
 *       #suppressionLogits});
 *   <li>each value is read as {@link OfficialTokens#pointValue} (not clipped); a value still
 *       INVISIBLE becomes the matching coordinate of the prompt box's centre; values are scaled
 *       to crop pixels and moved by the crop's offset;
 *   <li>the instance score is the mean probability, under the softmax of the lowered logits, of
 *       the final tokens that are not padding (the official {@code points_score_weight} 1.0).
 * </ol>
 *
 * <p>Two representation choices: a keypoint whose y or x is padding or a separator (the
 * official code writes it as the reserved value, e.g. (-1, -1)) is {@link Visibility#UNLABELED}
 * at 0, 0 here; every other keypoint is {@link Visibility#VISIBLE} (the official results write
 * visibility 1 for all), with the mean probability of its two tokens as its own score. An
 * instance whose tokens are all padding, a 0/0 in the official code, scores 0. Thread-safe; each
 * call opens its own decoding sessions.
 */
final class OfficialKeypoints {

  /** The official nucleus mass of keypoints. */
  static final double TOP_P = 0.1;

  /** How much the official code lowers the INVISIBLE logit before sampling again. */
  static final float SUPPRESSION = 1e9f;

  /** The value the official nucleus rule gives dropped logits. */
  private static final float MASK = -1e10f;

  /** Sampling from the softmax of given logits, as the official code draws. */
  private static final OfficialTopPSampler FULL_SOFTMAX = new OfficialTopPSampler(1, 1);

  private final Pix2seqModel model;
  private final VocabLayout layout;
  private final int task;

  OfficialKeypoints(Pix2seqModel model, VocabLayout layout) {
    this.model = model;
    this.layout = layout;
    this.task = layout.taskToken("keypoint");
  }

  /**
   * One instance to find the keypoints of.
   *
   * @param image the index of its crop in the encoded batch
   * @param frame the geometry of that crop's model input
   * @param box the prompt box ({@link OfficialFrame#promptBox})
   * @param classToken the class token of the prompt
   * @param points the number of keypoints of its category
   */
  record Instance(int image, OfficialFrame frame, float[] box, int classToken, int points) {}

  /** The keypoints of each instance, in order, in image pixels. */
  List<Keypoints> keypoints(ImageFeatures features, List<Instance> instances,
      RandomGenerator rng) {
    int rows = instances.size();
    int[] imageOfRow = new int[rows];
    int[][] prompts = new int[rows][];
    int steps = 0;
    for (int r = 0; r < rows; r++) {
      Instance o = instances.get(r);
      imageOfRow[r] = o.image();
      prompts[r] = OfficialTokens.instancePrompt(task, o.box(), o.classToken(), layout);
      steps = Math.max(steps, 2 * o.points());
    }
    int room = model.decoder().maxSequenceLength() - OfficialTokens.INSTANCE_PROMPT_LENGTH;
    if (steps > room) {
      throw new IllegalStateException("the keypoint response needs " + steps
          + " tokens after the prompt but the decoder has room for " + room);
    }
    OfficialSampling.Sampled sampled = OfficialSampling.sample(
        model, features, imageOfRow, prompts, steps, TOP_P, rng, step -> true);
    List<Keypoints> out = new ArrayList<>(rows);
    for (int r = 0; r < rows; r++) {
      Instance o = instances.get(r);
      int[] tokens = sampled.tokens()[r];
      float[][] logits = sampled.keptLogits()[r];
      RandomGenerator stream = new SplittableRandom(rng.nextLong());
      suppressInvisible(tokens, logits, layout.invisible(), TOP_P, stream);
      out.add(decode(tokens, logits, o.frame(), o.box(), o.points(), layout));
    }
    return out;
  }

  /**
   * The official suppression, in place: the INVISIBLE logit of every position lowered by {@link
   * #SUPPRESSION}, and every position that sampled INVISIBLE sampled again from its lowered
   * logits, by the official nucleus rule as it acts on a whole response at once ({@link
   * #suppressionLogits}).
   */
  static void suppressInvisible(int[] tokens, float[][] logits, int invisible, double p,
      RandomGenerator rng) {
    for (float[] row : logits) {
      row[invisible] -= SUPPRESSION;
    }
    float[] firstSorted = sortedFirstPosition(logits);
    for (int j = 0; j < logits.length; j++) {
      if (tokens[j] == invisible) {
        tokens[j] = FULL_SOFTMAX.sample(suppressionLogits(logits, j, p, firstSorted), rng);
      }
    }
  }

  /**
   * The logits position {@code j} of a response is sampled again from. The official code
   * applies its nucleus rule ({@code top_logits}) to the logits of the whole response, shaped
   * {@code [rows, positions, vocabulary]}, and its "at least the most likely token" clause then
   * reads the wrong axis: instead of the position's own largest logit it takes, for vocabulary
   * id {@code v}, the {@code v}-th largest logit of the response's first position. So id {@code
   * v} is kept when its logit is at least {@code min(bound, firstSorted[v])}, where {@code
   * bound} is the position's nucleus bound ({@link OfficialTopPSampler#prefixThreshold},
   * infinite when its most likely token alone exceeds p). In practice this keeps most of the
   * vocabulary; the rest is set to the official mask value -1e10.
   */
  static float[] suppressionLogits(float[][] logits, int j, double p) {
    return suppressionLogits(logits, j, p, sortedFirstPosition(logits));
  }

  /** The response's first-position logits, ascending. */
  private static float[] sortedFirstPosition(float[][] logits) {
    float[] sorted = logits[0].clone();
    Arrays.sort(sorted);
    return sorted;
  }

  private static float[] suppressionLogits(float[][] logits, int j, double p,
      float[] firstSorted) {
    float bound = OfficialTopPSampler.prefixThreshold(logits[j], p);
    int n = firstSorted.length;
    float[] out = new float[n];
    for (int v = 0; v < n; v++) {
      float keepFrom = Math.min(bound, firstSorted[n - 1 - v]);
      out[v] = logits[j][v] < keepFrom ? MASK : logits[j][v];
    }
    return out;
  }

  /**
   * The official post-processing of one response: {@code tokens} holds at least {@code 2 x
   * points} final tokens, {@code logits} the (suppressed) logits they are scored under; {@code
   * box} is the prompt box.
   */
  static Keypoints decode(int[] tokens, float[][] logits, OfficialFrame frame, float[] box,
      int points, VocabLayout layout) {
    float centreY = (box[2] + box[0]) / 2f;
    float centreX = (box[3] + box[1]) / 2f;
    double[] probability = new double[2 * points];
    double sum = 0;
    int counted = 0;
    for (int j = 0; j < 2 * points; j++) {
      probability[j] = Math.exp(LogitMath.logProb(logits[j], tokens[j]));
      if (tokens[j] != layout.pad()) {
        sum += probability[j];
        counted++;
      }
    }
    List<Keypoint> keypoints = new ArrayList<>(points);
    for (int p = 0; p < points; p++) {
      float y = OfficialTokens.pointValue(tokens[2 * p], layout);
      float x = OfficialTokens.pointValue(tokens[2 * p + 1], layout);
      y = y == OfficialTokens.INVISIBLE ? centreY : y;
      x = x == OfficialTokens.INVISIBLE ? centreX : x;
      if (OfficialTokens.isReserved(y) || OfficialTokens.isReserved(x)) {
        keypoints.add(Keypoint.unlabeled());
      } else {
        keypoints.add(new Keypoint(frame.imageX(x), frame.imageY(y), Visibility.VISIBLE,
            (probability[2 * p] + probability[2 * p + 1]) / 2));
      }
    }
    return new Keypoints(keypoints, counted == 0 ? 0 : sum / counted);
  }
}
