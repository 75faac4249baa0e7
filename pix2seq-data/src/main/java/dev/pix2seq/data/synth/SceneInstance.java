package dev.pix2seq.data.synth;

import dev.pix2seq.api.value.BoundingBox;
import dev.pix2seq.api.value.Keypoints;
import dev.pix2seq.api.value.Polygon;
import java.util.List;

/**
 * One annotated object of a {@link SyntheticScene}: its visible part, exactly.
 *
 * @param kind what it is (gives the category)
 * @param color its colour ({@link SceneColor#BLACK} for figures)
 * @param box the bounds of the visible polygons
 * @param polygons the visible region as hole-free polygons whose union is the region
 * @param area the visible area in square pixels, by the shoelace formula over the polygons
 * @param keypoints the figure's keypoints in {@link SyntheticSceneGenerator#PERSON_KEYPOINTS}
 *     order, or null for shapes
 */
public record SceneInstance(
    SceneObjectKind kind,
    SceneColor color,
    BoundingBox box,
    List<Polygon> polygons,
    double area,
    Keypoints keypoints) {

  public SceneInstance {
    if (kind == null || color == null || box == null) {
      throw new IllegalArgumentException("a scene instance needs a kind, a colour and a box");
    }
    polygons = List.copyOf(polygons);
    if (polygons.isEmpty()) {
      throw new IllegalArgumentException("a scene instance needs at least one polygon");
    }
    if ((kind == SceneObjectKind.PERSON) != (keypoints != null)) {
      throw new IllegalArgumentException("figures have keypoints and shapes do not, found "
          + kind + " with keypoints " + keypoints);
    }
  }

  /** The category id of {@link #kind()}. */
  public int categoryId() {
    return kind.categoryId();
  }

  /** The area-weighted centroid of the visible region. */
  public double[] centroid() {
    double sx = 0;
    double sy = 0;
    double sa = 0;
    for (Polygon p : polygons) {
      double[] xy = p.toXy();
      int n = xy.length / 2;
      for (int i = 0; i < n; i++) {
        int j = (i + 1) % n;
        double cross = xy[2 * i] * xy[2 * j + 1] - xy[2 * j] * xy[2 * i + 1];
        sx += (xy[2 * i] + xy[2 * j]) * cross;
        sy += (xy[2 * i + 1] + xy[2 * j + 1]) * cross;
        sa += cross;
      }
    }
    if (Math.abs(sa) < 1e-12) {
      return new double[] {box.centerX(), box.centerY()};
    }
    return new double[] {sx / (3 * sa), sy / (3 * sa)};
  }
}
