package dev.pix2seq.data.augment;

import dev.pix2seq.api.value.BoundingBox;

/**
 * The official Pix2seq keypoint task's view of one instance ({@code crop_to_bbox} in the
 * official {@code data/data_utils.py}, used with {@code crop_to_bbox_pad_scale} 0.5): the image
 * cropped to the instance box grown on each side by {@code padScale} times its size, clipped to
 * the image (nothing is padded; the model input is then built by {@link OfficialResize} and
 * {@link OfficialPad}).
 *
 * <p>The window is computed as the official code computes it, in float32 from the box
 * normalised by the image size: {@code y0 = floor(yMin / h * (h - 1))}, {@code y1 = ceil(yMax /
 * h * (h - 1))}, {@code pad = (int) ((y1 - y0 + 1) * padScale)}, then {@code y0 = max(0, y0 -
 * pad)}, {@code y1 = min(h - 1, y1 + pad)}, rows {@code y0..y1} inclusive; columns alike. A box
 * partly or wholly outside the image still gives a window of at least one pixel inside it (the
 * official pipeline drops such instances). Annotations are mapped as by any crop.
 *
 * @param padScale growth per side as a fraction of the box size, >= 0
 */
public record OfficialKeypointCrop(double padScale) {

  /** The official keypoint configuration's {@code crop_to_bbox_pad_scale}. */
  public static final double DEFAULT_PAD_SCALE = 0.5;

  public OfficialKeypointCrop {
    if (!(padScale >= 0) || !Double.isFinite(padScale)) {
      throw new IllegalArgumentException("padScale must be finite and >= 0, found " + padScale);
    }
  }

  /** The official keypoint crop (pad scale 0.5). */
  public static OfficialKeypointCrop defaults() {
    return new OfficialKeypointCrop(DEFAULT_PAD_SCALE);
  }

  /**
   * The window this crop takes around {@code box} (pixels) in an image of the given size, as
   * {@code {x0, y0, width, height}} in whole pixels, inside the image.
   */
  public int[] window(BoundingBox box, int imageWidth, int imageHeight) {
    if (imageWidth <= 0 || imageHeight <= 0) {
      throw new IllegalArgumentException(
          "image size must be positive, found " + imageWidth + "x" + imageHeight);
    }
    int[] y = span(box.yMin(), box.yMax(), imageHeight);
    int[] x = span(box.xMin(), box.xMax(), imageWidth);
    return new int[] {x[0], y[0], x[1] - x[0] + 1, y[1] - y[0] + 1};
  }

  /** First and last pixel (inclusive) along one axis of {@code n} pixels. */
  private int[] span(double min, double max, int n) {
    float size = n;
    float toUnit = 1f / size;
    float last = size - 1f;
    int lo = (int) Math.floor(((float) min * toUnit) * last);
    int hi = (int) Math.ceil(((float) max * toUnit) * last);
    int pad = (int) ((float) (hi - lo + 1) * (float) padScale);
    lo = Math.min(n - 1, Math.max(0, lo - pad));
    hi = Math.max(lo, Math.min(n - 1, hi + pad));
    return new int[] {lo, hi};
  }

  /** The sample cropped around {@code box} (in the sample's coordinates). */
  public AnnotatedImage crop(AnnotatedImage sample, BoundingBox box) {
    int[] w = window(box, sample.width(), sample.height());
    return SampleGeometry.crop(sample, w[0], w[1], w[2], w[3], PadToSquare.DEFAULT_VALUE);
  }

  /** The sample cropped around the box of one of its instances. */
  public AnnotatedImage crop(AnnotatedImage sample, AnnotatedInstance instance) {
    return crop(sample, instance.box());
  }
}
