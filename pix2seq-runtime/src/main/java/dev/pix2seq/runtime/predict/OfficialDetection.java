package dev.pix2seq.runtime.predict;

import dev.pix2seq.api.model.ImageFeatures;
import dev.pix2seq.api.model.Pix2seqModel;
import dev.pix2seq.api.sampling.LogitMath;
import dev.pix2seq.api.value.BoundingBox;
import dev.pix2seq.api.value.Detection;
import dev.pix2seq.api.vocab.VocabLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * Object detection decoded as the official Pix2seq code decodes it, for imported official models
 * (docs/official-task-conventions.md section 1), which were trained to always write 100 objects
 * (the unused ones as FAKE-class noise) and no end token:
 *
 * <ol>
 *   <li>after the prompt {@code [detect]}, exactly {@code 5 x slots} tokens are sampled by
 *       {@link OfficialSampling} (the official nucleus rule at p 0.4, no constraint, no early
 *       stop);
 *   <li>slot {@code i}'s box is its four sampled tokens {@code ymin xmin ymax xmax}, each {@code
 *       (token - coordBase) / (bins - 1)} clipped to [0, 1];
 *   <li>its class is the argmax of the raw logits at its fifth position over the class tokens
 *       only, and its score that token's probability under the softmax over the whole vocabulary
 *       (the sampled class token is only fed back);
 *   <li>every slot is a detection except those of class id 0.
 * </ol>
 *
 * <p>One difference remains: the official code keeps a box whose corners come out swapped
 * (ymax above ymin) as it is; here the corners are put in order, since a box needs them so.
 * Thread-safe; each call opens its own decoding session.
 */
final class OfficialDetection {

  /** The official number of object slots ({@code max_instances_per_image_test}). */
  static final int SLOTS = 100;

  /** The official nucleus mass of detection. */
  static final double TOP_P = 0.4;

  private static final int TOKENS_PER_OBJECT = 5;

  private final Pix2seqModel model;
  private final VocabLayout layout;
  private final int prompt;
  private final int slots;

  OfficialDetection(Pix2seqModel model, VocabLayout layout) {
    this.model = model;
    this.layout = layout;
    this.prompt = layout.taskToken("detect");
    this.slots = Math.min(SLOTS, (model.decoder().maxSequenceLength() - 1) / TOKENS_PER_OBJECT);
  }

  /**
   * The detections of each image, boxes normalised to the model input (0..1), in slot order.
   *
   * @param rng seeds one sampler stream per image, in image order
   */
  List<List<Detection>> detect(ImageFeatures features, int images, RandomGenerator rng) {
    OfficialSampling.Sampled sampled = OfficialSampling.sample(model, features, images, prompt,
        slots * TOKENS_PER_OBJECT, TOP_P, rng,
        step -> step % TOKENS_PER_OBJECT == TOKENS_PER_OBJECT - 1);
    List<List<Detection>> out = new ArrayList<>(images);
    for (int i = 0; i < images; i++) {
      out.add(decode(sampled.tokens()[i], sampled.keptLogits()[i], layout));
    }
    return out;
  }

  /**
   * The official post-processing of one response: {@code tokens} holds {@code 5 x slots}
   * sampled tokens, {@code classLogits[i]} the raw logits at slot {@code i}'s class position.
   * Category id = class token minus {@code classBase}.
   */
  static List<Detection> decode(int[] tokens, float[][] classLogits, VocabLayout layout) {
    List<Detection> out = new ArrayList<>();
    int first = layout.classBase();
    int end = first + layout.maxClasses();
    for (int slot = 0; slot < classLogits.length; slot++) {
      float[] logits = classLogits[slot];
      int best = first;
      for (int t = first + 1; t < Math.min(end, logits.length); t++) {
        if (logits[t] > logits[best]) {
          best = t;
        }
      }
      int categoryId = best - first;
      if (categoryId == 0) {
        continue;
      }
      double score = Math.exp(LogitMath.logProb(logits, best));
      int at = slot * TOKENS_PER_OBJECT;
      double y0 = OfficialTokens.boxCoordinate(tokens[at], layout);
      double x0 = OfficialTokens.boxCoordinate(tokens[at + 1], layout);
      double y1 = OfficialTokens.boxCoordinate(tokens[at + 2], layout);
      double x1 = OfficialTokens.boxCoordinate(tokens[at + 3], layout);
      BoundingBox box = new BoundingBox(
          Math.min(x0, x1), Math.min(y0, y1), Math.max(x0, x1), Math.max(y0, y1));
      out.add(new Detection(box, categoryId, score));
    }
    return out;
  }
}
