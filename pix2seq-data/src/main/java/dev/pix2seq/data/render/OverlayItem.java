package dev.pix2seq.data.render;

import dev.pix2seq.api.value.BoundingBox;
import dev.pix2seq.api.value.InstanceMask;
import dev.pix2seq.api.value.Keypoints;

/**
 * One object to draw, in the image's pixel coordinates.
 *
 * @param box the box, or null to draw none
 * @param categoryId the category (colour and label)
 * @param score confidence shown next to the label, or NaN for ground truth
 * @param mask polygons or RLE to fill, or null
 * @param keypoints keypoints in the category's schema order, or null
 */
public record OverlayItem(
    BoundingBox box, int categoryId, double score, InstanceMask mask, Keypoints keypoints) {

  /** A ground-truth item without a score. */
  public static OverlayItem groundTruth(
      BoundingBox box, int categoryId, InstanceMask mask, Keypoints keypoints) {
    return new OverlayItem(box, categoryId, Double.NaN, mask, keypoints);
  }
}
