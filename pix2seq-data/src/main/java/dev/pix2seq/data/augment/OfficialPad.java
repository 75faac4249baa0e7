package dev.pix2seq.data.augment;

import java.util.random.RandomGenerator;

/**
 * The official Pix2seq padding ({@code pad_image_to_max_size} in the official {@code
 * data/data_utils.py}): the image stays at the top-left corner of a {@code size x size} square,
 * the rest is {@link PadToSquare#DEFAULT_VALUE 0.3}. Computed as the official code computes it,
 * {@code 0.3 + pad(image - 0.3)} in float32, so each image pixel becomes {@code (x - 0.3f) +
 * 0.3f}, which can differ from {@code x} in the last bit (up to 1.5e-8); {@link PadToSquare}
 * keeps {@code x}. Coordinates do not change.
 *
 * @param size the side of the square, positive; the sample must fit in it
 */
public record OfficialPad(int size) implements Augmentation {

  public OfficialPad {
    if (size <= 0) {
      throw new IllegalArgumentException("pad size must be positive, found " + size);
    }
  }

  @Override
  public AnnotatedImage apply(AnnotatedImage sample, RandomGenerator random) {
    return pad(sample);
  }

  /**
   * The padded sample (no randomness involved).
   *
   * @throws IllegalArgumentException if the sample is larger than {@code size} on a side
   */
  public AnnotatedImage pad(AnnotatedImage sample) {
    if (sample.width() > size || sample.height() > size) {
      throw new IllegalArgumentException("official padding to " + size + "x" + size
          + " needs an image that fits, found " + sample.width() + "x" + sample.height());
    }
    float value = PadToSquare.DEFAULT_VALUE;
    AnnotatedImage placed = SampleGeometry.crop(sample, 0, 0, size, size, value);
    return new AnnotatedImage(ImageTensors.padShifted(sample.image(), size, value),
        placed.instances(), placed.captions(), placed.fromSource(), placed.droppedInstances());
  }
}
