package dev.pix2seq.data.synth;

import java.util.List;

/**
 * What a synthetic object is; each kind is one dataset category with a fixed id (person is 1 as
 * in COCO).
 */
public enum SceneObjectKind {
  PERSON(1, "person", "people", "person"),
  CIRCLE(2, "circle", "circles", "shape"),
  SQUARE(3, "square", "squares", "shape"),
  TRIANGLE(4, "triangle", "triangles", "shape"),
  CROSS(5, "cross", "crosses", "shape");

  /** The shape kinds (every kind but the person). */
  public static final List<SceneObjectKind> SHAPES = List.of(CIRCLE, SQUARE, TRIANGLE, CROSS);

  private final int categoryId;
  private final String singular;
  private final String plural;
  private final String supercategory;

  SceneObjectKind(int categoryId, String singular, String plural, String supercategory) {
    this.categoryId = categoryId;
    this.singular = singular;
    this.plural = plural;
    this.supercategory = supercategory;
  }

  /** The dataset category id. */
  public int categoryId() {
    return categoryId;
  }

  /** The category name, also the singular noun in captions. */
  public String singular() {
    return singular;
  }

  /** The plural noun in captions. */
  public String plural() {
    return plural;
  }

  /** The COCO supercategory. */
  public String supercategory() {
    return supercategory;
  }

  /** The kind with this category id. */
  public static SceneObjectKind ofCategoryId(int id) {
    for (SceneObjectKind k : values()) {
      if (k.categoryId == id) {
        return k;
      }
    }
    throw new IllegalArgumentException("no synthetic object kind has category id " + id);
  }
}
