package dev.pix2seq.runtime.predict;

import dev.pix2seq.api.mask.RleMasks;
import dev.pix2seq.api.model.ImageFeatures;
import dev.pix2seq.api.model.Pix2seqModel;
import dev.pix2seq.api.value.RleMask;
import dev.pix2seq.api.vocab.VocabLayout;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * Instance segmentation decoded as the official Pix2seq code decodes it, for imported official
 * models (docs/official-task-conventions.md section 2):
 *
 * <ol>
 *   <li>the prompt of an instance is {@code [segment, q(yMin), q(xMin), q(yMax), q(xMax),
 *       class]}, its box normalised over the padded input ({@link OfficialFrame#promptBox}) and
 *       quantised ({@link OfficialTokens#instancePrompt});
 *   <li>{@link #SAMPLES} responses of {@code 2 x} {@link #MAX_POINTS} tokens are sampled per
 *       instance by {@link OfficialSampling} at p {@link #TOP_P}, with no early stop;
 *   <li>each response is read as (y, x) pairs ({@link OfficialTokens#pointValue}, not clipped),
 *       scaled to image pixels with the official float32 scale (reserved values left as they
 *       are), and split into polygons: a padding value in a pair ends the list, a separator
 *       starts a new polygon, anything else (an invisible value too, as the literal -3) is a
 *       vertex;
 *   <li>the polygons of a response are rasterised at the image's size as pycocotools'
 *       {@code frPoly} does ({@link RleMasks#fromPolygon}) and united; the mask is the pixels of
 *       at least half of the responses.
 * </ol>
 *
 * <p>The official score of a mask is its box's score; the class is the prompt's. Thread-safe;
 * each call opens its own decoding sessions.
 */
final class OfficialSegmentation {

  /** The official number of responses sampled per instance ({@code ensemble_num_samples}). */
  static final int SAMPLES = 8;

  /** The official nucleus mass of segmentation. */
  static final double TOP_P = 0.8;

  /** The official number of polygon vertices read per response ({@code max_points_per_object}). */
  static final int MAX_POINTS = 128;

  /** The official share of responses a pixel needs ({@code ensemble_threshold}). */
  static final double THRESHOLD = 0.5;

  /**
   * How many instances of an image the official evaluation segments: the best-scored ones
   * ({@code truncate_or_pad_to_max_instances(10)} after ordering by score).
   */
  static final int INSTANCES_PER_IMAGE = 10;


  private final Pix2seqModel model;
  private final VocabLayout layout;
  private final int task;

  OfficialSegmentation(Pix2seqModel model, VocabLayout layout) {
    this.model = model;
    this.layout = layout;
    this.task = layout.taskToken("segment");
  }

  /**
   * One instance to segment.
   *
   * @param image the index of its image in the encoded batch
   * @param frame the geometry of that image's model input
   * @param box the prompt box ({@link OfficialFrame#promptBox})
   * @param classToken the class token of the prompt
   */
  record Instance(int image, OfficialFrame frame, float[] box, int classToken) {}

  /** The voted mask of each instance, in order, at its image's size. */
  List<RleMask> segment(ImageFeatures features, List<Instance> instances, RandomGenerator rng) {
    int rows = instances.size() * SAMPLES;
    int[] imageOfRow = new int[rows];
    int[][] prompts = new int[rows][];
    for (int k = 0; k < instances.size(); k++) {
      Instance o = instances.get(k);
      int[] prompt = OfficialTokens.instancePrompt(task, o.box(), o.classToken(), layout);
      for (int s = 0; s < SAMPLES; s++) {
        imageOfRow[k * SAMPLES + s] = o.image();
        prompts[k * SAMPLES + s] = prompt;
      }
    }
    int steps = Math.min(2 * MAX_POINTS,
        model.decoder().maxSequenceLength() - OfficialTokens.INSTANCE_PROMPT_LENGTH);
    OfficialSampling.Sampled sampled = OfficialSampling.sample(
        model, features, imageOfRow, prompts, steps, TOP_P, rng, step -> false);
    List<RleMask> masks = new ArrayList<>(instances.size());
    for (int k = 0; k < instances.size(); k++) {
      int[][] responses = Arrays.copyOfRange(sampled.tokens(), k * SAMPLES, (k + 1) * SAMPLES);
      masks.add(vote(responses, instances.get(k).frame(), layout));
    }
    return masks;
  }

  /**
   * The official mask of one instance from its sampled responses: each response rasterised
   * ({@link #mask}), then the pixels set in at least {@link #THRESHOLD} of them.
   */
  static RleMask vote(int[][] responses, OfficialFrame frame, VocabLayout layout) {
    int h = frame.imageHeight();
    int w = frame.imageWidth();
    int[] votes = new int[h * w];
    for (int[] response : responses) {
      boolean[] pixels = RleMasks.decode(mask(response, frame, layout));
      for (int i = 0; i < pixels.length; i++) {
        votes[i] += pixels[i] ? 1 : 0;
      }
    }
    boolean[] voted = new boolean[votes.length];
    for (int i = 0; i < votes.length; i++) {
      voted[i] = (double) votes[i] / responses.length >= THRESHOLD;
    }
    return RleMasks.encode(voted, h, w);
  }

  /**
   * The mask of one response at the image's size: its polygons ({@link #polygons}) rasterised
   * and united; no polygon gives an empty mask.
   */
  static RleMask mask(int[] response, OfficialFrame frame, VocabLayout layout) {
    int h = frame.imageHeight();
    int w = frame.imageWidth();
    List<RleMask> parts = new ArrayList<>();
    for (double[] polygon : polygons(response, frame, layout)) {
      parts.add(RleMasks.fromPolygon(polygon, h, w));
    }
    return parts.isEmpty() ? RleMasks.encode(new boolean[h * w], h, w)
        : RleMasks.merge(parts, false);
  }

  /**
   * The polygons of one response as {@code [x1, y1, x2, y2, ...]} in image pixels: the first
   * {@code 2 x} {@link #MAX_POINTS} tokens read as (y, x) pairs, scaled to pixels, split at
   * separators and ended at the first padding value; empty polygons are dropped.
   */
  static List<double[]> polygons(int[] response, OfficialFrame frame, VocabLayout layout) {
    List<double[]> polygons = new ArrayList<>();
    int pairs = Math.min(response.length, 2 * MAX_POINTS) / 2;
    double[] vertices = new double[2 * pairs];
    int n = 0;
    for (int i = 0; i < pairs; i++) {
      float y = OfficialTokens.pointValue(response[2 * i], layout);
      float x = OfficialTokens.pointValue(response[2 * i + 1], layout);
      y = OfficialTokens.isReserved(y) ? y : frame.scaleY(y);
      x = OfficialTokens.isReserved(x) ? x : frame.scaleX(x);
      if (x == OfficialTokens.PADDING || y == OfficialTokens.PADDING) {
        break;
      }
      if (x == OfficialTokens.SEPARATOR || y == OfficialTokens.SEPARATOR) {
        addIfNotEmpty(polygons, vertices, n);
        n = 0;
      } else {
        vertices[n++] = x;
        vertices[n++] = y;
      }
    }
    addIfNotEmpty(polygons, vertices, n);
    return polygons;
  }

  private static void addIfNotEmpty(List<double[]> polygons, double[] vertices, int n) {
    if (n > 0) {
      polygons.add(Arrays.copyOf(vertices, n));
    }
  }
}
