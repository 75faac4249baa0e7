package dev.pix2seq.tasks.examples;

import dev.pix2seq.api.value.BoundingBox;
import dev.pix2seq.api.value.Category;
import dev.pix2seq.api.value.Keypoint;
import dev.pix2seq.api.value.Keypoints;
import dev.pix2seq.api.value.Point;
import dev.pix2seq.api.value.Polygon;
import dev.pix2seq.api.value.PolygonMask;
import dev.pix2seq.data.augment.AnnotatedImage;
import dev.pix2seq.data.augment.Augmentation;
import dev.pix2seq.data.augment.FixedSizeCrop;
import dev.pix2seq.data.augment.HorizontalFlip;
import dev.pix2seq.data.augment.PadToSquare;
import dev.pix2seq.data.augment.ResizeLongestSide;
import dev.pix2seq.data.augment.ScaleJitter;
import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * Builds square model inputs from annotated images and normalises their geometry to 0..1 over
 * the input side, the coordinates codecs work in. Immutable and thread-safe.
 */
public final class ModelInputs {
  private final ExampleOptions options;
  private final Augmentation geometric;
  private final Augmentation flipOnly;
  private final Augmentation plain;

  /**
   * @param options input size and augmentation
   * @param categories the dataset's categories (keypoint schemas for the flip)
   */
  public ModelInputs(ExampleOptions options, List<Category> categories) {
    this.options = options;
    int side = options.inputSize();
    HorizontalFlip flip = HorizontalFlip.of(categories, options.flipProbability());
    PadToSquare pad = PadToSquare.grey(side);
    this.plain = Augmentation.chain(new ResizeLongestSide(side), pad);
    this.geometric =
        Augmentation.chain(
            ScaleJitter.ofTarget(side, options.minScale(), options.maxScale()),
            FixedSizeCrop.of(side, side),
            flip,
            pad);
    this.flipOnly = Augmentation.chain(new ResizeLongestSide(side), flip, pad);
  }

  public ExampleOptions options() {
    return options;
  }

  /** The model input with full augmentation (scale jitter, crop, flip) when enabled. */
  public AnnotatedImage augmented(AnnotatedImage sample, RandomGenerator rng) {
    return (options.augment() ? geometric : plain).apply(sample, rng);
  }

  /**
   * The model input with only the flip (for tasks whose target would be falsified by a crop,
   * such as captions that mention every object).
   */
  public AnnotatedImage flippedOnly(AnnotatedImage sample, RandomGenerator rng) {
    return (options.augment() ? flipOnly : plain).apply(sample, rng);
  }

  /** The model input without augmentation. */
  public AnnotatedImage plain(AnnotatedImage sample) {
    return plain.apply(sample, new java.util.SplittableRandom(0));
  }

  /** A box in input pixels as 0..1 coordinates, clipped to the input. */
  public BoundingBox normalise(BoundingBox box) {
    double s = 1.0 / options.inputSize();
    return box.transform(s, 0, 0).clip(1, 1);
  }

  /** Polygons in input pixels as 0..1 coordinates. */
  public PolygonMask normalise(List<Polygon> polygons) {
    double s = 1.0 / options.inputSize();
    List<Polygon> out = new ArrayList<>(polygons.size());
    for (Polygon p : polygons) {
      List<Point> pts = new ArrayList<>(p.points().size());
      for (Point q : p.points()) {
        pts.add(new Point(clip01(q.x() * s), clip01(q.y() * s)));
      }
      out.add(new Polygon(pts));
    }
    return new PolygonMask(out);
  }

  /** Keypoints in input pixels as 0..1 coordinates (unlabeled ones stay at 0, 0). */
  public Keypoints normalise(Keypoints keypoints) {
    double s = 1.0 / options.inputSize();
    List<Keypoint> out = new ArrayList<>(keypoints.points().size());
    for (Keypoint k : keypoints.points()) {
      out.add(k.visibility().isLabeled()
          ? new Keypoint(clip01(k.x() * s), clip01(k.y() * s), k.visibility(), k.score())
          : k);
    }
    return new Keypoints(out, keypoints.score());
  }

  private static double clip01(double v) {
    return Math.max(0, Math.min(1, v));
  }
}
