package dev.pix2seq.data.augment;

import java.util.random.RandomGenerator;

/**
 * Resizes so that the longer side becomes {@code size}, keeping the aspect ratio (the shorter
 * side is rounded to whole pixels). After {@link PadToSquare} this yields the square model input
 * of {@code size x size}.
 *
 * @param size the longer side after resizing, positive
 */
public record ResizeLongestSide(int size) implements Augmentation {

  public ResizeLongestSide {
    if (size <= 0) {
      throw new IllegalArgumentException("resize size must be positive, found " + size);
    }
  }

  @Override
  public AnnotatedImage apply(AnnotatedImage sample, RandomGenerator random) {
    return resize(sample);
  }

  /** The resized sample (no randomness involved). */
  public AnnotatedImage resize(AnnotatedImage sample) {
    double scale = (double) size / Math.max(sample.width(), sample.height());
    int w = Math.max(1, (int) Math.round(sample.width() * scale));
    int h = Math.max(1, (int) Math.round(sample.height() * scale));
    if (sample.width() >= sample.height()) {
      w = size;
    } else {
      h = size;
    }
    return SampleGeometry.resize(sample, w, h);
  }
}
