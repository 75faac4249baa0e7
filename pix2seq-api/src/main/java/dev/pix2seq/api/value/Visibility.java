package dev.pix2seq.api.value;

/** COCO keypoint visibility flag ({@code v} in {@code x, y, v}). */
public enum Visibility {
  /** v = 0: not labeled (coordinates meaningless). */
  UNLABELED,
  /** v = 1: labeled but not visible (occluded). */
  OCCLUDED,
  /** v = 2: labeled and visible. */
  VISIBLE;

  /** The COCO integer flag. */
  public int cocoFlag() {
    return ordinal();
  }

  /** The visibility for a COCO integer flag 0, 1 or 2. */
  public static Visibility ofCocoFlag(int v) {
    return switch (v) {
      case 0 -> UNLABELED;
      case 1 -> OCCLUDED;
      case 2 -> VISIBLE;
      default -> throw new IllegalArgumentException(
          "keypoint visibility must be 0, 1 or 2, found " + v);
    };
  }

  /** Whether the keypoint has coordinates (occluded or visible). */
  public boolean isLabeled() {
    return this != UNLABELED;
  }
}
