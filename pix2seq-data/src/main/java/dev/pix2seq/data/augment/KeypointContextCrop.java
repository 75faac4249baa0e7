package dev.pix2seq.data.augment;

import dev.pix2seq.api.value.BoundingBox;

/**
 * The keypoint task's view of one instance: the image cropped to the instance box grown by
 * {@code context} times its width and height on each side (0.5: twice the box, centred on it).
 * The window is rounded outward to whole pixels. With {@link Mode#CLIP} it is then clipped to the
 * image; with {@link Mode#PAD} it is kept whole and the part outside the image is filled with
 * {@code padValue}, so the box stays centred. Annotations are mapped as by a crop (clipped,
 * keypoints outside become unlabeled, emptied instances removed and counted); instance ids are
 * kept, so the task finds its instance with {@link AnnotatedImage#instance(long)}.
 *
 * @param context growth per side as a fraction of the box size, >= 0
 * @param mode clip to the image or pad beyond it
 * @param padValue fill for {@link Mode#PAD}, in [0, 1]
 */
public record KeypointContextCrop(double context, Mode mode, float padValue) {

  /** What happens to the part of the window outside the image. */
  public enum Mode {
    /** The window is clipped to the image. */
    CLIP,
    /** The window is kept and filled beyond the image. */
    PAD
  }

  /** Half the box size on each side. */
  public static final double DEFAULT_CONTEXT = 0.5;

  public KeypointContextCrop {
    if (!(context >= 0) || !Double.isFinite(context)) {
      throw new IllegalArgumentException("context must be finite and >= 0, found " + context);
    }
    if (mode == null) {
      throw new IllegalArgumentException("mode must not be null");
    }
    if (!(padValue >= 0 && padValue <= 1)) {
      throw new IllegalArgumentException("pad value must be in [0, 1], found " + padValue);
    }
  }

  /** Twice the box, clipped to the image. */
  public static KeypointContextCrop clipped() {
    return new KeypointContextCrop(DEFAULT_CONTEXT, Mode.CLIP, PadToSquare.DEFAULT_VALUE);
  }

  /** Twice the box, padded with 0.3 grey beyond the image. */
  public static KeypointContextCrop padded() {
    return new KeypointContextCrop(DEFAULT_CONTEXT, Mode.PAD, PadToSquare.DEFAULT_VALUE);
  }

  /**
   * The window this crop takes around {@code box} in an image of the given size, as {@code {x0,
   * y0, width, height}} in whole pixels ({@code x0, y0} may be negative in {@link Mode#PAD}).
   */
  public int[] window(BoundingBox box, int imageWidth, int imageHeight) {
    double gx = box.width() * context;
    double gy = box.height() * context;
    int x0 = (int) Math.floor(box.xMin() - gx);
    int y0 = (int) Math.floor(box.yMin() - gy);
    int x1 = (int) Math.ceil(box.xMax() + gx);
    int y1 = (int) Math.ceil(box.yMax() + gy);
    if (x1 <= x0) {
      x1 = x0 + 1;
    }
    if (y1 <= y0) {
      y1 = y0 + 1;
    }
    if (mode == Mode.CLIP) {
      x0 = Math.max(0, Math.min(x0, imageWidth - 1));
      y0 = Math.max(0, Math.min(y0, imageHeight - 1));
      x1 = Math.min(imageWidth, Math.max(x1, x0 + 1));
      y1 = Math.min(imageHeight, Math.max(y1, y0 + 1));
    }
    return new int[] {x0, y0, x1 - x0, y1 - y0};
  }

  /** The sample cropped around {@code box} (in the sample's coordinates). */
  public AnnotatedImage crop(AnnotatedImage sample, BoundingBox box) {
    int[] w = window(box, sample.width(), sample.height());
    return SampleGeometry.crop(sample, w[0], w[1], w[2], w[3], padValue);
  }

  /** The sample cropped around the box of one of its instances. */
  public AnnotatedImage crop(AnnotatedImage sample, AnnotatedInstance instance) {
    return crop(sample, instance.box());
  }
}
