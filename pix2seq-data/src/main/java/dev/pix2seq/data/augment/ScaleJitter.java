package dev.pix2seq.data.augment;

import java.util.random.RandomGenerator;

/**
 * Resizes by a random factor drawn uniformly from {@code [minFactor, maxFactor]}. With a target
 * size (Pix2seq's scale jitter) the factor is relative to the scale that fits the image's longer
 * side to the target; without one ({@code targetSize == 0}) it is relative to the image itself.
 * The output size is rounded to whole pixels and annotations scale by the exact per-axis ratio of
 * the new to the old size.
 *
 * @param minFactor smallest factor, positive
 * @param maxFactor largest factor, at least minFactor
 * @param targetSize the longer side a factor of 1 gives, or 0 for relative factors
 */
public record ScaleJitter(double minFactor, double maxFactor, int targetSize)
    implements Augmentation {

  public ScaleJitter {
    if (!(minFactor > 0) || !(maxFactor >= minFactor) || !Double.isFinite(maxFactor)) {
      throw new IllegalArgumentException("scale jitter needs 0 < minFactor <= maxFactor, found "
          + minFactor + ", " + maxFactor);
    }
    if (targetSize < 0) {
      throw new IllegalArgumentException("targetSize must be >= 0, found " + targetSize);
    }
  }

  /** Factors relative to the current size. */
  public static ScaleJitter relative(double minFactor, double maxFactor) {
    return new ScaleJitter(minFactor, maxFactor, 0);
  }

  /** Pix2seq's jitter: the longer side becomes {@code targetSize * factor}. */
  public static ScaleJitter ofTarget(int targetSize, double minFactor, double maxFactor) {
    if (targetSize <= 0) {
      throw new IllegalArgumentException("targetSize must be positive, found " + targetSize);
    }
    return new ScaleJitter(minFactor, maxFactor, targetSize);
  }

  @Override
  public AnnotatedImage apply(AnnotatedImage sample, RandomGenerator random) {
    double f = minFactor == maxFactor ? minFactor : random.nextDouble(minFactor, maxFactor);
    double scale = targetSize == 0
        ? f
        : targetSize * f / Math.max(sample.width(), sample.height());
    int w = Math.max(1, (int) Math.round(sample.width() * scale));
    int h = Math.max(1, (int) Math.round(sample.height() * scale));
    return SampleGeometry.resize(sample, w, h);
  }
}
