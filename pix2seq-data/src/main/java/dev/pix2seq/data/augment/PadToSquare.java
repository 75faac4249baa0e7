package dev.pix2seq.data.augment;

import java.util.random.RandomGenerator;

/**
 * Pads the bottom and right edges with a constant so the image becomes a square of side {@code
 * max(width, height, minSide)}, as Pix2seq builds its model input (value 0.3). Coordinates do not
 * change: the image stays at the top-left corner.
 *
 * @param minSide the smallest side of the result (0: just the longer side)
 * @param value the fill value, in [0, 1]
 */
public record PadToSquare(int minSide, float value) implements Augmentation {

  /** Pix2seq's padding value. */
  public static final float DEFAULT_VALUE = 0.3f;

  public PadToSquare {
    if (minSide < 0) {
      throw new IllegalArgumentException("minSide must be >= 0, found " + minSide);
    }
    if (!(value >= 0 && value <= 1)) {
      throw new IllegalArgumentException("pad value must be in [0, 1], found " + value);
    }
  }

  /** Pads to the longer side with 0.3 grey. */
  public static PadToSquare grey() {
    return new PadToSquare(0, DEFAULT_VALUE);
  }

  /** Pads to at least {@code side x side} with 0.3 grey. */
  public static PadToSquare grey(int side) {
    return new PadToSquare(side, DEFAULT_VALUE);
  }

  @Override
  public AnnotatedImage apply(AnnotatedImage sample, RandomGenerator random) {
    return pad(sample);
  }

  /** The padded sample (no randomness involved). */
  public AnnotatedImage pad(AnnotatedImage sample) {
    int side = Math.max(minSide, Math.max(sample.width(), sample.height()));
    return SampleGeometry.crop(sample, 0, 0, side, side, value);
  }
}
