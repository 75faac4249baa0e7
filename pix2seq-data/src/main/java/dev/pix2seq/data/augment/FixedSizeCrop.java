package dev.pix2seq.data.augment;

import java.util.random.RandomGenerator;

/**
 * Pix2seq's crop after scale jitter: a window of at most {@code width x height} at a random
 * whole-pixel offset; an image that already fits is left as is (pad it afterwards). Annotations
 * are clipped as in {@link RandomCrop}.
 *
 * @param width the largest width kept, positive
 * @param height the largest height kept, positive
 */
public record FixedSizeCrop(int width, int height) implements Augmentation {

  public FixedSizeCrop {
    if (width <= 0 || height <= 0) {
      throw new IllegalArgumentException(
          "crop size must be positive, found " + width + "x" + height);
    }
  }

  /** A window of at most {@code width x height}. */
  public static FixedSizeCrop of(int width, int height) {
    return new FixedSizeCrop(width, height);
  }

  @Override
  public AnnotatedImage apply(AnnotatedImage sample, RandomGenerator random) {
    int w = Math.min(width, sample.width());
    int h = Math.min(height, sample.height());
    return RandomCrop.cropAtRandomOffset(sample, w, h, random);
  }
}
