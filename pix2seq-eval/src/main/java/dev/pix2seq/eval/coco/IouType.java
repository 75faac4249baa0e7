package dev.pix2seq.eval.coco;

import java.util.Locale;

/** What a COCO evaluation compares: boxes, masks or keypoints (pycocotools' {@code iouType}). */
public enum IouType {
  /** Box IoU on {@code [x, y, width, height]}. */
  BBOX("bbox"),
  /** Mask IoU on run-length encoded masks. */
  SEGM("segm"),
  /** Object keypoint similarity (OKS). */
  KEYPOINTS("keypoints");

  private final String cocoName;

  IouType(String cocoName) {
    this.cocoName = cocoName;
  }

  /** The name pycocotools uses: {@code bbox}, {@code segm} or {@code keypoints}. */
  public String cocoName() {
    return cocoName;
  }

  /**
   * The type for pycocotools' name (case-insensitive).
   *
   * @throws IllegalArgumentException for any other name
   */
  public static IouType fromCocoName(String name) {
    String n = name == null ? "" : name.toLowerCase(Locale.ROOT);
    for (IouType t : values()) {
      if (t.cocoName.equals(n)) {
        return t;
      }
    }
    throw new IllegalArgumentException(
        "iouType must be bbox, segm or keypoints, found '" + name + "'");
  }

  @Override
  public String toString() {
    return cocoName;
  }
}
