package dev.pix2seq.tasks.segment;

import dev.pix2seq.api.value.PolygonMask;
import dev.pix2seq.tasks.InstanceRequest;

/**
 * One instance to segment and its ground-truth mask, both normalised over the padded square
 * model input.
 *
 * @param instance the instance's box and category (the prompt)
 * @param mask the instance's polygons; must hold at least one polygon to be trained on
 */
public record SegmentationAnnotation(InstanceRequest instance, PolygonMask mask) {

  public SegmentationAnnotation {
    if (instance == null || mask == null) {
      throw new IllegalArgumentException("segmentation annotation needs an instance and a mask");
    }
  }
}
