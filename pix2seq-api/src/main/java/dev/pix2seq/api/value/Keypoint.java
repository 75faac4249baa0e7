package dev.pix2seq.api.value;

/**
 * One keypoint. An unlabeled keypoint has coordinates 0, 0 by convention.
 *
 * @param x column
 * @param y row
 * @param visibility COCO visibility
 * @param score confidence in [0, 1] for predictions; 1 for ground truth
 */
public record Keypoint(double x, double y, Visibility visibility, double score) {

  public Keypoint {
    if (!Double.isFinite(x) || !Double.isFinite(y)) {
      throw new IllegalArgumentException("keypoint must be finite, found (" + x + ", " + y + ")");
    }
    if (visibility == null) {
      throw new IllegalArgumentException("keypoint visibility must not be null");
    }
  }

  /** An unlabeled keypoint. */
  public static Keypoint unlabeled() {
    return new Keypoint(0, 0, Visibility.UNLABELED, 0);
  }
}
