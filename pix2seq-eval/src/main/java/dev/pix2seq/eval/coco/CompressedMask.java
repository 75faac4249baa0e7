package dev.pix2seq.eval.coco;

import dev.pix2seq.api.value.RleMask;
import dev.pix2seq.api.mask.RleMasks;

/**
 * A mask kept as COCO's compressed counts string, with the pixel count and bounding box taken
 * when it was read. Results files hold hundreds of thousands of masks: as strings they take a
 * fraction of the memory their decoded runs would, and each is decoded again only while its
 * IoUs are computed.
 */
final class CompressedMask {
  private final String counts;
  private final int height;
  private final int width;
  private final long area;
  private final double[] box;

  private CompressedMask(String counts, RleMask decoded) {
    this.counts = counts;
    this.height = decoded.height();
    this.width = decoded.width();
    this.area = decoded.area();
    this.box = RleMasks.toBbox(decoded);
  }

  /**
   * Decodes once to check the string and measure the mask.
   *
   * @throws IllegalArgumentException if the string is malformed or does not cover h*w pixels
   */
  static CompressedMask of(String counts, int height, int width) {
    return new CompressedMask(counts, RleMask.fromCompressed(counts, height, width));
  }

  RleMask decode() {
    return RleMask.fromCompressed(counts, height, width);
  }

  int height() {
    return height;
  }

  int width() {
    return width;
  }

  /** Foreground pixels (pycocotools' {@code area}). */
  long area() {
    return area;
  }

  /** pycocotools' {@code toBbox}; shared, do not modify. */
  double[] box() {
    return box;
  }
}
