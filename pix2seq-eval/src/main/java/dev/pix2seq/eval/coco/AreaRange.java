package dev.pix2seq.eval.coco;

/**
 * An object area range of the evaluation, both ends inclusive (pycocotools' {@code areaRng}
 * entry and its {@code areaRngLbl}).
 *
 * @param label the name printed in the summary (all, small, medium, large)
 * @param min smallest area in range
 * @param max largest area in range
 */
public record AreaRange(String label, double min, double max) {

  /** All areas: [0, 1e10]. */
  public static final AreaRange ALL = new AreaRange("all", 0, 1e10);
  /** Small objects: [0, 32²]. */
  public static final AreaRange SMALL = new AreaRange("small", 0, 32 * 32);
  /** Medium objects: [32², 96²]. */
  public static final AreaRange MEDIUM = new AreaRange("medium", 32 * 32, 96 * 96);
  /** Large objects: [96², 1e10]. */
  public static final AreaRange LARGE = new AreaRange("large", 96 * 96, 1e10);

  public AreaRange {
    if (label == null || label.isBlank()) {
      throw new IllegalArgumentException("an area range needs a label");
    }
    if (Double.isNaN(min) || Double.isNaN(max) || min > max) {
      throw new IllegalArgumentException(
          "area range '" + label + "' needs min <= max, found [" + min + ", " + max + "]");
    }
  }

  /** Whether an area lies outside this range (pycocotools' test for ignoring). */
  boolean excludes(double area) {
    return area < min || area > max;
  }
}
