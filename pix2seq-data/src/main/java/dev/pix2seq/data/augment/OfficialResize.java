package dev.pix2seq.data.augment;

import java.util.random.RandomGenerator;

/**
 * The official Pix2seq evaluation resize ({@code resize_image} in the official {@code
 * data/transforms.py}): {@code tf.image.resize(image, (size, size), method='bilinear',
 * antialias=True, preserve_aspect_ratio=True)}, reproduced exactly.
 *
 * <ul>
 *   <li>Size ({@link #targetSize}): {@code s = min(size / h, size / w)} in float32, then {@code
 *       newH = round(s * h)}, {@code newW = round(s * w)} in float32, rounding half to even. The
 *       longer side becomes {@code size}; the shorter one can differ by a pixel from {@link
 *       ResizeLongestSide}, which rounds half up in double precision (33 x 128 at 64: 16 here,
 *       17 there).
 *   <li>Pixels: TensorFlow's {@code ScaleAndTranslate} with the triangle kernel and antialiasing,
 *       per axis scale {@code newSize / size} (see {@code ImageTensors.resizeAntialiased}): when
 *       shrinking, every source pixel contributes (no aliasing), unlike the plain bilinear resize
 *       of {@link ResizeLongestSide}.
 *   <li>Coordinates scale by {@code newW / w} and {@code newH / h}, the rounded size, so the
 *       inverse map is the official box transform back to the image ({@code x * size * w /
 *       newW}).
 * </ul>
 *
 * <p>Followed by {@link OfficialPad} this is the official model input of one image.
 *
 * @param size the side of the square the image is fitted into, positive
 */
public record OfficialResize(int size) implements Augmentation {

  public OfficialResize {
    if (size <= 0) {
      throw new IllegalArgumentException("resize size must be positive, found " + size);
    }
  }

  /**
   * The size TensorFlow gives an image of {@code width x height} fitted into {@code size x size}
   * with the aspect ratio kept, as {@code {newWidth, newHeight}}; each at least 1 (TensorFlow
   * fails on a side that rounds to 0).
   */
  public static int[] targetSize(int width, int height, int size) {
    if (width <= 0 || height <= 0 || size <= 0) {
      throw new IllegalArgumentException("sizes must be positive, found image " + width + "x"
          + height + " and target " + size);
    }
    float s = Math.min((float) size / (float) height, (float) size / (float) width);
    int newH = (int) Math.rint(s * (float) height);
    int newW = (int) Math.rint(s * (float) width);
    return new int[] {Math.max(1, newW), Math.max(1, newH)};
  }

  @Override
  public AnnotatedImage apply(AnnotatedImage sample, RandomGenerator random) {
    return resize(sample);
  }

  /** The resized sample (no randomness involved). */
  public AnnotatedImage resize(AnnotatedImage sample) {
    int[] wh = targetSize(sample.width(), sample.height(), size);
    return SampleGeometry.resize(sample, wh[0], wh[1], true);
  }
}
