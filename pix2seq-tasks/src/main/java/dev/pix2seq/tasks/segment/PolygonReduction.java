package dev.pix2seq.tasks.segment;

import dev.pix2seq.api.value.Point;
import dev.pix2seq.api.value.Polygon;
import dev.pix2seq.api.value.PolygonMask;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * A mask reduced to a vertex budget, and what was lost.
 *
 * <p>A mask within the budget stays as it is. Otherwise at most {@code maxPoints / 3} polygons
 * are kept, the largest by area (ties: the earlier), in their original order; the others are
 * dropped and counted in {@link #droppedPolygons()}. If the kept polygons still hold too many
 * vertices, each is thinned evenly along its outline (vertex {@code floor(j * n / k)} for
 * {@code j = 0..k-1}), keeping at least 3 vertices per polygon and sharing the rest of the
 * budget in proportion to the vertex counts (largest remainders first), so the result holds
 * exactly {@code maxPoints} vertices.
 *
 * @param mask the reduced mask
 * @param droppedPolygons polygons removed whole
 * @param droppedPoints vertices removed in all (dropped polygons included)
 */
public record PolygonReduction(PolygonMask mask, int droppedPolygons, int droppedPoints) {

  public PolygonReduction {
    if (mask == null) {
      throw new IllegalArgumentException("reduced mask must not be null");
    }
  }

  /**
   * Reduces {@code mask} to at most {@code maxPoints} vertices.
   *
   * @throws IllegalArgumentException if {@code maxPoints < 3}
   */
  public static PolygonReduction of(PolygonMask mask, int maxPoints) {
    if (maxPoints < Polygon.MIN_POINTS) {
      throw new IllegalArgumentException(
          "a vertex budget must be >= " + Polygon.MIN_POINTS + ", found " + maxPoints);
    }
    int total = mask.pointCount();
    if (total <= maxPoints) {
      return new PolygonReduction(mask, 0, 0);
    }
    List<Polygon> kept = largest(mask.polygons(), maxPoints / Polygon.MIN_POINTS);
    int dropped = mask.polygons().size() - kept.size();
    int keptPoints = kept.stream().mapToInt(p -> p.points().size()).sum();
    if (keptPoints > maxPoints) {
      int[] budget = share(kept, keptPoints, maxPoints);
      List<Polygon> thinned = new ArrayList<>(kept.size());
      for (int i = 0; i < kept.size(); i++) {
        thinned.add(thin(kept.get(i), budget[i]));
      }
      kept = thinned;
      keptPoints = maxPoints;
    }
    return new PolygonReduction(new PolygonMask(kept), dropped, total - keptPoints);
  }

  /** The {@code limit} largest polygons by area, in their original order. */
  private static List<Polygon> largest(List<Polygon> polygons, int limit) {
    if (polygons.size() <= limit) {
      return polygons;
    }
    List<Integer> order = new ArrayList<>();
    for (int i = 0; i < polygons.size(); i++) {
      order.add(i);
    }
    order.sort(Comparator.comparingDouble((Integer i) -> -polygons.get(i).area())
        .thenComparingInt(i -> i));
    boolean[] keep = new boolean[polygons.size()];
    for (int i = 0; i < limit; i++) {
      keep[order.get(i)] = true;
    }
    List<Polygon> kept = new ArrayList<>(limit);
    for (int i = 0; i < polygons.size(); i++) {
      if (keep[i]) {
        kept.add(polygons.get(i));
      }
    }
    return kept;
  }

  /** Vertices per polygon: 3 each plus the rest in proportion to the vertices above 3. */
  private static int[] share(List<Polygon> polygons, int points, int maxPoints) {
    int m = polygons.size();
    long spare = maxPoints - (long) Polygon.MIN_POINTS * m;
    long pool = points - (long) Polygon.MIN_POINTS * m;
    int[] budget = new int[m];
    long[] remainder = new long[m];
    long given = 0;
    for (int i = 0; i < m; i++) {
      long extra = (long) (polygons.get(i).points().size() - Polygon.MIN_POINTS) * spare;
      budget[i] = Polygon.MIN_POINTS + (int) (extra / pool);
      remainder[i] = extra % pool;
      given += extra / pool;
    }
    List<Integer> order = new ArrayList<>();
    for (int i = 0; i < m; i++) {
      order.add(i);
    }
    order.sort(Comparator.comparingLong((Integer i) -> -remainder[i]).thenComparingInt(i -> i));
    for (int j = 0; j < spare - given; j++) {
      budget[order.get(j)]++;
    }
    return budget;
  }

  /** {@code k} vertices spread evenly along the polygon's vertex list. */
  private static Polygon thin(Polygon polygon, int k) {
    List<Point> pts = polygon.points();
    int n = pts.size();
    if (k >= n) {
      return polygon;
    }
    List<Point> out = new ArrayList<>(k);
    for (int j = 0; j < k; j++) {
      out.add(pts.get((int) ((long) j * n / k)));
    }
    return new Polygon(out);
  }
}
