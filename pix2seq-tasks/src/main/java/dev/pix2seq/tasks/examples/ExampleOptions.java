package dev.pix2seq.tasks.examples;

/**
 * How dataset images become model inputs in training.
 *
 * @param inputSize side of the square model input in pixels
 * @param augment whether geometric augmentation runs (off: resize and pad only)
 * @param minScale smallest scale-jitter factor (relative to fitting the input size)
 * @param maxScale largest scale-jitter factor
 * @param flipProbability probability of a horizontal flip (keypoints swap sides, captions swap
 *     "left" and "right")
 */
public record ExampleOptions(
    int inputSize, boolean augment, double minScale, double maxScale, double flipProbability) {

  public ExampleOptions {
    if (inputSize <= 0) {
      throw new IllegalArgumentException("inputSize must be > 0, found " + inputSize);
    }
    if (!(minScale > 0 && maxScale >= minScale)) {
      throw new IllegalArgumentException(
          "scale jitter needs 0 < minScale <= maxScale, found " + minScale + ".." + maxScale);
    }
    if (!(flipProbability >= 0 && flipProbability <= 1)) {
      throw new IllegalArgumentException(
          "flipProbability must be in [0, 1], found " + flipProbability);
    }
  }

  /** Augmented defaults: scale jitter 0.8..1.2, crop back to the input, flip with p = 0.5. */
  public static ExampleOptions training(int inputSize) {
    return new ExampleOptions(inputSize, true, 0.8, 1.2, 0.5);
  }

  /** No augmentation: resize the longer side to the input size and pad to a square. */
  public static ExampleOptions plain(int inputSize) {
    return new ExampleOptions(inputSize, false, 1, 1, 0);
  }
}
