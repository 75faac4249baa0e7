package dev.pix2seq.tasks.segment;

import dev.pix2seq.api.value.PolygonMask;
import java.util.List;

/**
 * Combines several sampled masks of one instance into one, as Pix2seq v2 does at inference (8
 * samples at top-p 0.8): each mask is rasterised ({@link PolygonRasterizer}), the rasters are
 * averaged and the average thresholded. A pure function; the sampling is the generator's job.
 */
public final class MaskVoting {

  /** The reference's threshold. */
  public static final double DEFAULT_THRESHOLD = 0.5;

  private MaskVoting() {}

  /**
   * The pixels set in at least {@code threshold} of the masks (fraction {@code >= threshold}).
   *
   * @param masks sampled masks in normalised coordinates, at least one (an empty mask votes for
   *     no pixel)
   * @param height rows of the result
   * @param width columns of the result
   * @param threshold in (0, 1]
   * @throws IllegalArgumentException for no masks, a negative size or a threshold outside (0, 1]
   */
  public static RasterMask vote(List<PolygonMask> masks, int height, int width, double threshold) {
    if (masks == null || masks.isEmpty()) {
      throw new IllegalArgumentException("mask voting needs at least one mask");
    }
    if (!(threshold > 0 && threshold <= 1)) {
      throw new IllegalArgumentException(
          "mask voting threshold must be in (0, 1], found " + threshold);
    }
    if (height < 0 || width < 0) {
      throw new IllegalArgumentException(
          "raster size must be non-negative, found " + height + "x" + width);
    }
    int[] votes = new int[height * width];
    for (PolygonMask m : masks) {
      boolean[] pixels = PolygonRasterizer.rasterize(m, height, width).pixels();
      for (int i = 0; i < pixels.length; i++) {
        if (pixels[i]) {
          votes[i]++;
        }
      }
    }
    boolean[] result = new boolean[votes.length];
    for (int i = 0; i < votes.length; i++) {
      result[i] = (double) votes[i] / masks.size() >= threshold;
    }
    return new RasterMask(height, width, result);
  }
}
