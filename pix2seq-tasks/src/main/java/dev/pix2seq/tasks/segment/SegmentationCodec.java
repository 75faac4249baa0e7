package dev.pix2seq.tasks.segment;

import dev.pix2seq.api.task.SequenceConstraint;
import dev.pix2seq.api.task.TaskCodec;
import dev.pix2seq.api.task.TrainingSequence;
import dev.pix2seq.api.value.Point;
import dev.pix2seq.api.value.Polygon;
import dev.pix2seq.api.value.PolygonMask;
import dev.pix2seq.api.value.TokenSequence;
import dev.pix2seq.api.vocab.VocabLayout;
import dev.pix2seq.tasks.InstanceRequest;
import dev.pix2seq.tasks.Responses;
import dev.pix2seq.tokenizer.Vocabulary;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * Instance segmentation: the polygons of one instance, given its box and class.
 *
 * <pre>
 *   prompt:   [segment] ymin xmin ymax xmax class
 *   response: y x y x y x ... (SEP y x y x y x ...)*  EOS
 * </pre>
 *
 * <p><b>Training.</b> The mask is first reduced to {@code maxPoints} vertices by {@link
 * PolygonReduction} (larger masks are thinned evenly; when there are more than {@code
 * maxPoints / 3} polygons, the smallest are dropped). Each polygon is written as its vertices
 * {@code y x}, starting at a random vertex when {@code randomStartVertex} is set, else at its
 * top-most vertex (the left-most of those on ties), polygons in
 * their given order separated by SEP, then EOS. Every target weighs 1 and the decoder input is
 * not corrupted. A mask without polygons cannot be trained on (the constraint requires at least
 * one polygon).
 *
 * <p><b>Generation.</b> The constraint allows coordinates in pairs, SEP or EOS only after a
 * polygon of at least 3 vertices, SEP only while 3 more vertices fit, and no more than {@code
 * maxPoints} vertices; {@link #maxResponseLength()} is {@code 2 * maxPoints + maxPoints / 3}
 * (all vertices, the most SEPs, EOS).
 *
 * <p><b>Decoding.</b> The tokens before the first EOS are split at SEP; in each part the
 * coordinate tokens (others are skipped) are paired {@code y x} (an odd last one is dropped);
 * parts of at least 3 vertices become polygons. Combine several samples with {@link MaskVoting}.
 *
 * <p>Immutable and thread-safe.
 */
public final class SegmentationCodec
    implements TaskCodec<SegmentationAnnotation, InstanceRequest, PolygonMask> {

  /** The task's name. */
  public static final String NAME = "segment";

  private final Vocabulary vocab;
  private final SegmentationOptions options;
  private final SegmentationConstraint constraint;

  /**
   * @throws IllegalArgumentException if the vocabulary has no {@code segment} task token
   */
  public SegmentationCodec(Vocabulary vocab, SegmentationOptions options) {
    if (vocab == null || options == null) {
      throw new IllegalArgumentException("segmentation codec needs a vocabulary and options");
    }
    vocab.taskToken(NAME);
    this.vocab = vocab;
    this.options = options;
    this.constraint = new SegmentationConstraint(vocab, options.maxPoints());
  }

  public SegmentationOptions options() {
    return options;
  }

  @Override
  public String name() {
    return NAME;
  }

  /**
   * @throws IllegalArgumentException if the request's category is not in the vocabulary
   */
  @Override
  public int[] prompt(InstanceRequest request) {
    return request.prompt(vocab, NAME);
  }

  @Override
  public InstanceRequest requestFor(SegmentationAnnotation annotation) {
    return annotation.instance();
  }

  /**
   * @throws IllegalArgumentException if the mask has no polygon or the category is not in the
   *     vocabulary
   */
  @Override
  public TrainingSequence trainingSequence(
      SegmentationAnnotation annotation, RandomGenerator rng) {
    PolygonMask mask = PolygonReduction.of(annotation.mask(), options.maxPoints()).mask();
    if (mask.polygons().isEmpty()) {
      throw new IllegalArgumentException(
          "segment: an instance of category " + annotation.instance().categoryId()
              + " has no polygon to train on");
    }
    VocabLayout layout = vocab.layout();
    int length = 2 * mask.pointCount() + mask.polygons().size();
    int[] target = new int[length];
    int at = 0;
    for (int p = 0; p < mask.polygons().size(); p++) {
      if (p > 0) {
        target[at++] = layout.sep();
      }
      List<Point> pts = mask.polygons().get(p).points();
      int start = options.randomStartVertex() ? rng.nextInt(pts.size()) : topLeftVertex(pts);
      for (int i = 0; i < pts.size(); i++) {
        Point v = pts.get((start + i) % pts.size());
        target[at++] = vocab.coordToken(v.y());
        target[at++] = vocab.coordToken(v.x());
      }
    }
    target[at] = layout.eos();
    float[] weights = new float[length];
    Arrays.fill(weights, 1f);
    return TrainingSequence.uncorrupted(prompt(annotation.instance()), target, weights);
  }

  /** Index of the top-most vertex, the left-most among equally high ones. */
  static int topLeftVertex(List<Point> pts) {
    int best = 0;
    for (int i = 1; i < pts.size(); i++) {
      Point p = pts.get(i);
      Point b = pts.get(best);
      if (p.y() < b.y() || p.y() == b.y() && p.x() < b.x()) {
        best = i;
      }
    }
    return best;
  }

  @Override
  public SequenceConstraint constraint(InstanceRequest request) {
    return constraint;
  }

  @Override
  public int maxResponseLength() {
    return 2 * options.maxPoints() + options.maxPoints() / Polygon.MIN_POINTS;
  }

  @Override
  public PolygonMask decode(InstanceRequest request, TokenSequence response) {
    int[] tokens = response.tokens();
    VocabLayout layout = vocab.layout();
    int n = Responses.lengthBeforeEos(tokens, layout.eos());
    List<Polygon> polygons = new ArrayList<>();
    List<Point> current = new ArrayList<>();
    double pendingY = Double.NaN;
    for (int i = 0; i <= n; i++) {
      if (i == n || tokens[i] == layout.sep()) {
        if (current.size() >= Polygon.MIN_POINTS) {
          polygons.add(new Polygon(current));
        }
        current = new ArrayList<>();
        pendingY = Double.NaN;
      } else if (layout.isCoord(tokens[i])) {
        double v = vocab.coordValue(tokens[i]);
        if (Double.isNaN(pendingY)) {
          pendingY = v;
        } else {
          current.add(new Point(v, pendingY));
          pendingY = Double.NaN;
        }
      }
    }
    return new PolygonMask(polygons);
  }
}
