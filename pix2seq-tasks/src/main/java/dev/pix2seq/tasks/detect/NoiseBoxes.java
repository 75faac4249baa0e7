package dev.pix2seq.tasks.detect;

import dev.pix2seq.api.value.BoundingBox;
import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * Noise objects for detection training, as in the Pix2seq reference: a uniformly drawn number of
 * duplicates (real boxes with jittered edges), the rest "bad" boxes, each either a real box
 * shifted to a random centre or a box of random centre and size. Without real boxes every noise
 * box is random. All boxes lie in [0, 1]. Pure functions of the generator.
 */
final class NoiseBoxes {

  /** Truncated normals are cut at this many standard deviations. */
  private static final double TRUNCATION = 2.0;
  /** Standard deviation of a random box's height and width (before the absolute value). */
  private static final double RANDOM_SIZE_STDDEV = 0.5;

  private NoiseBoxes() {}

  /**
   * {@code count} noise boxes for the given real boxes, in random order.
   *
   * @param real real boxes in [0, 1]
   * @param count number of noise boxes
   * @param duplicateJitter largest edge jitter of a duplicate, relative to the box size
   */
  static List<BoundingBox> generate(
      List<BoundingBox> real, int count, double duplicateJitter, RandomGenerator rng) {
    List<BoundingBox> noise = new ArrayList<>(count);
    if (count <= 0) {
      return noise;
    }
    int duplicates = real.isEmpty() ? 0 : rng.nextInt(count + 1);
    for (int i = 0; i < duplicates; i++) {
      noise.add(jittered(real.get(rng.nextInt(real.size())), duplicateJitter, rng));
    }
    for (int i = duplicates; i < count; i++) {
      boolean shift = !real.isEmpty() && rng.nextBoolean();
      noise.add(shift ? shifted(real.get(rng.nextInt(real.size())), rng) : random(rng));
    }
    for (int i = noise.size() - 1; i > 0; i--) {
      int j = rng.nextInt(i + 1);
      noise.set(i, noise.set(j, noise.get(i)));
    }
    return noise;
  }

  /** Each edge moved by a truncated normal (stddev jitter/2) times the box's height or width. */
  static BoundingBox jittered(BoundingBox b, double jitter, RandomGenerator rng) {
    double h = b.height();
    double w = b.width();
    double sd = jitter / 2;
    return box(
        b.yMin() + h * truncatedNormal(sd, rng),
        b.xMin() + w * truncatedNormal(sd, rng),
        b.yMax() + h * truncatedNormal(sd, rng),
        b.xMax() + w * truncatedNormal(sd, rng));
  }

  /** The box's size around a uniformly random centre. */
  static BoundingBox shifted(BoundingBox b, RandomGenerator rng) {
    double cy = rng.nextDouble();
    double cx = rng.nextDouble();
    return box(cy - b.height() / 2, cx - b.width() / 2, cy + b.height() / 2, cx + b.width() / 2);
  }

  /** A uniformly random centre, height and width |N(0, 0.5)| truncated at 1. */
  static BoundingBox random(RandomGenerator rng) {
    double cy = rng.nextDouble();
    double cx = rng.nextDouble();
    double h = Math.abs(truncatedNormal(RANDOM_SIZE_STDDEV, rng));
    double w = Math.abs(truncatedNormal(RANDOM_SIZE_STDDEV, rng));
    return box(cy - h / 2, cx - w / 2, cy + h / 2, cx + w / 2);
  }

  private static double truncatedNormal(double stddev, RandomGenerator rng) {
    double z;
    do {
      z = rng.nextGaussian();
    } while (Math.abs(z) > TRUNCATION);
    return z * stddev;
  }

  /** The box of two corners in any order, clipped to [0, 1]. */
  private static BoundingBox box(double y0, double x0, double y1, double x1) {
    double ya = clip(Math.min(y0, y1));
    double yb = clip(Math.max(y0, y1));
    double xa = clip(Math.min(x0, x1));
    double xb = clip(Math.max(x0, x1));
    return new BoundingBox(xa, ya, xb, yb);
  }

  private static double clip(double v) {
    return Math.min(1, Math.max(0, v));
  }
}
