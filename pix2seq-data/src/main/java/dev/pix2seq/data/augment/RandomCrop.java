package dev.pix2seq.data.augment;

import java.util.random.RandomGenerator;

/**
 * Crops a window whose width and height are each a random fraction, drawn independently and
 * uniformly from {@code [minFraction, maxFraction]}, of the image's, at a random whole-pixel
 * offset. Polygons and boxes are clipped to the window, keypoints outside it become unlabeled
 * (v = 0), and instances with nothing left are removed and counted in {@link
 * AnnotatedImage#droppedInstances()}.
 *
 * @param minFraction smallest side fraction, in (0, 1]
 * @param maxFraction largest side fraction, in [minFraction, 1]
 */
public record RandomCrop(double minFraction, double maxFraction) implements Augmentation {

  public RandomCrop {
    if (!(minFraction > 0) || !(maxFraction >= minFraction) || !(maxFraction <= 1)) {
      throw new IllegalArgumentException("random crop needs 0 < minFraction <= maxFraction <= 1,"
          + " found " + minFraction + ", " + maxFraction);
    }
  }

  @Override
  public AnnotatedImage apply(AnnotatedImage sample, RandomGenerator random) {
    int w = side(sample.width(), random);
    int h = side(sample.height(), random);
    return cropAtRandomOffset(sample, w, h, random);
  }

  private int side(int size, RandomGenerator random) {
    double f = minFraction == maxFraction ? minFraction
        : random.nextDouble(minFraction, maxFraction);
    return Math.max(1, Math.min(size, (int) Math.round(size * f)));
  }

  /** A {@code w x h} window (no larger than the image) at a uniform random offset. */
  static AnnotatedImage cropAtRandomOffset(AnnotatedImage sample, int w, int h,
      RandomGenerator random) {
    int x0 = sample.width() > w ? random.nextInt(sample.width() - w + 1) : 0;
    int y0 = sample.height() > h ? random.nextInt(sample.height() - h + 1) : 0;
    return SampleGeometry.crop(sample, x0, y0, w, h, 0f);
  }
}
