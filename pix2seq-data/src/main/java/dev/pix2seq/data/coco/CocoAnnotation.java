package dev.pix2seq.data.coco;

import dev.pix2seq.api.value.BoundingBox;
import dev.pix2seq.api.value.InstanceMask;
import dev.pix2seq.api.value.Keypoints;

/**
 * A COCO instance annotation (pixels of its image).
 *
 * @param id annotation id
 * @param imageId the image it belongs to
 * @param categoryId its category
 * @param bbox the box
 * @param segmentation polygons or RLE, or null when the file has none
 * @param area COCO {@code area} as given in the file
 * @param crowd COCO {@code iscrowd}
 * @param keypoints keypoints in the category's schema order, or null
 */
public record CocoAnnotation(
    long id,
    long imageId,
    int categoryId,
    BoundingBox bbox,
    InstanceMask segmentation,
    double area,
    boolean crowd,
    Keypoints keypoints) {

  public CocoAnnotation {
    if (bbox == null) {
      throw new IllegalArgumentException("annotation " + id + " needs a bbox");
    }
  }
}
