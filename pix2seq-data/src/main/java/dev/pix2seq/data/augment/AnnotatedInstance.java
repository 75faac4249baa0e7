package dev.pix2seq.data.augment;

import dev.pix2seq.api.value.BoundingBox;
import dev.pix2seq.api.value.Keypoints;
import dev.pix2seq.api.value.Polygon;
import java.util.List;

/**
 * One object of an {@link AnnotatedImage}, in that image's pixel coordinates.
 *
 * @param id the source annotation id, kept through augmentation so a task can find its instance
 * @param categoryId the dataset category id
 * @param box the box
 * @param polygons the visible outline as polygons (COCO semantics: union of the polygons); empty
 *     when the source has no polygon (box-only, or an RLE mask, which augmentation does not move)
 * @param keypoints keypoints in the category's schema order, or null for categories without
 * @param crowd COCO {@code iscrowd}
 */
public record AnnotatedInstance(
    long id,
    int categoryId,
    BoundingBox box,
    List<Polygon> polygons,
    Keypoints keypoints,
    boolean crowd) {

  public AnnotatedInstance {
    if (box == null) {
      throw new IllegalArgumentException("instance " + id + " needs a box");
    }
    polygons = polygons == null ? List.of() : List.copyOf(polygons);
  }

  /** A non-crowd instance. */
  public static AnnotatedInstance of(long id, int categoryId, BoundingBox box,
      List<Polygon> polygons, Keypoints keypoints) {
    return new AnnotatedInstance(id, categoryId, box, polygons, keypoints, false);
  }

  public boolean hasKeypoints() {
    return keypoints != null;
  }

  /** This instance with new geometry (same id, category and crowd flag). */
  public AnnotatedInstance withGeometry(BoundingBox newBox, List<Polygon> newPolygons,
      Keypoints newKeypoints) {
    return new AnnotatedInstance(id, categoryId, newBox, newPolygons, newKeypoints, crowd);
  }
}
