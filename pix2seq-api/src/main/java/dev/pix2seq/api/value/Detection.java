package dev.pix2seq.api.value;

/**
 * A detected object.
 *
 * @param box the box
 * @param categoryId the dataset's category id (COCO {@code category_id})
 * @param score confidence in [0, 1]
 */
public record Detection(BoundingBox box, int categoryId, double score) {

  public Detection {
    if (box == null) {
      throw new IllegalArgumentException("detection box must not be null");
    }
    if (!(score >= 0 && score <= 1)) {
      throw new IllegalArgumentException("detection score must be in [0, 1], found " + score);
    }
  }
}
