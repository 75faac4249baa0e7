package dev.pix2seq.data.augment;

import dev.pix2seq.api.value.BoundingBox;
import dev.pix2seq.api.value.Point;
import dev.pix2seq.api.value.Polygon;
import java.awt.geom.Area;
import java.awt.geom.Path2D;
import java.awt.geom.PathIterator;
import java.awt.geom.Rectangle2D;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Conversions between {@link Area} geometry and COCO-style polygon lists. COCO rasterises each
 * polygon of an instance on its own and takes the union, so a polygon cannot describe a hole;
 * {@link #toPolygons(Area)} therefore cuts every hole open by splitting the area along a vertical
 * line through it, which changes no covered point.
 *
 * <p>Stateless; safe to use from any thread.
 */
public final class AreaPolygons {
  /** Parts whose absolute area is below this (square pixels) are degenerate and dropped. */
  public static final double DEGENERATE_AREA = 1e-6;

  private static final double FLATNESS = 0.05;
  private static final int MAX_SPLIT_DEPTH = 40;
  private static final double COLLINEAR_EPS = 1e-9;

  private AreaPolygons() {}

  /**
   * The area as hole-free polygons whose union is exactly the area: one polygon per part, holes
   * cut open, consecutive duplicate and collinear vertices removed, parts with fewer than 3
   * vertices or no area dropped. Curves are flattened (the areas built in this module hold only
   * straight edges).
   */
  public static List<Polygon> toPolygons(Area area) {
    List<Polygon> out = new ArrayList<>();
    collect(area, out, 0);
    return out;
  }

  /**
   * The union of the polygons (each filled by the even-odd rule, as COCO rasterises a polygon on
   * its own) as an {@link Area}.
   */
  public static Area toArea(List<Polygon> polygons) {
    Area area = new Area();
    for (Polygon p : polygons) {
      area.add(new Area(toPath(p)));
    }
    return area;
  }

  /** One polygon as a closed even-odd path. */
  public static Path2D.Double toPath(Polygon polygon) {
    Path2D.Double path = new Path2D.Double(Path2D.WIND_EVEN_ODD, polygon.points().size() + 1);
    List<Point> pts = polygon.points();
    path.moveTo(pts.get(0).x(), pts.get(0).y());
    for (int i = 1; i < pts.size(); i++) {
      path.lineTo(pts.get(i).x(), pts.get(i).y());
    }
    path.closePath();
    return path;
  }

  /** Total area of the polygons by the shoelace formula (parts are disjoint in our output). */
  public static double totalArea(List<Polygon> polygons) {
    double a = 0;
    for (Polygon p : polygons) {
      a += p.area();
    }
    return a;
  }

  /** The tightest box around all vertices, or null for an empty list. */
  public static BoundingBox bounds(List<Polygon> polygons) {
    if (polygons.isEmpty()) {
      return null;
    }
    double x0 = Double.POSITIVE_INFINITY;
    double y0 = Double.POSITIVE_INFINITY;
    double x1 = Double.NEGATIVE_INFINITY;
    double y1 = Double.NEGATIVE_INFINITY;
    for (Polygon p : polygons) {
      for (Point q : p.points()) {
        x0 = Math.min(x0, q.x());
        y0 = Math.min(y0, q.y());
        x1 = Math.max(x1, q.x());
        y1 = Math.max(y1, q.y());
      }
    }
    return new BoundingBox(x0, y0, x1, y1);
  }

  /** The area enclosed by an area's outline (outer loops minus holes), always non-negative. */
  public static double area(Area area) {
    double sum = 0;
    for (double[] loop : loops(area)) {
      sum += signedArea(loop);
    }
    return Math.abs(sum);
  }

  /**
   * The polygons clipped to the rectangle {@code [x0, x1] x [y0, y1]}; polygons inside it come
   * back unchanged, the others as their hole-free intersection parts.
   */
  public static List<Polygon> clip(List<Polygon> polygons, double x0, double y0, double x1,
      double y1) {
    List<Polygon> out = new ArrayList<>();
    Area window = null;
    for (Polygon p : polygons) {
      BoundingBox b = p.bounds();
      if (b.xMin() >= x0 && b.yMin() >= y0 && b.xMax() <= x1 && b.yMax() <= y1) {
        out.add(p);
        continue;
      }
      if (b.xMax() <= x0 || b.xMin() >= x1 || b.yMax() <= y0 || b.yMin() >= y1) {
        continue;
      }
      if (window == null) {
        window = new Area(new Rectangle2D.Double(x0, y0, x1 - x0, y1 - y0));
      }
      Area a = new Area(toPath(p));
      a.intersect(window);
      out.addAll(clamp(toPolygons(a), x0, y0, x1, y1));
    }
    return out;
  }

  /**
   * The polygons with every vertex clamped into {@code [x0, x1] x [y0, y1]}; removes the
   * rounding dust (such as -1e-15) that area clipping leaves on the clip edges.
   */
  public static List<Polygon> clamp(List<Polygon> polygons, double x0, double y0, double x1,
      double y1) {
    List<Polygon> out = new ArrayList<>(polygons.size());
    for (Polygon p : polygons) {
      List<Point> pts = new ArrayList<>(p.points().size());
      boolean changed = false;
      for (Point q : p.points()) {
        double x = Math.max(x0, Math.min(x1, q.x()));
        double y = Math.max(y0, Math.min(y1, q.y()));
        changed |= x != q.x() || y != q.y();
        pts.add(changed ? new Point(x, y) : q);
      }
      out.add(changed ? new Polygon(pts) : p);
    }
    return out;
  }

  private static void collect(Area area, List<Polygon> out, int depth) {
    List<double[]> loops = loops(area);
    if (loops.isEmpty()) {
      return;
    }
    double[] signed = new double[loops.size()];
    int largest = 0;
    for (int i = 0; i < loops.size(); i++) {
      signed[i] = signedArea(loops.get(i));
      if (Math.abs(signed[i]) > Math.abs(signed[largest])) {
        largest = i;
      }
    }
    // The largest loop is always an outer boundary; Area orients holes the other way.
    double outerSign = Math.signum(signed[largest]);
    int hole = -1;
    for (int i = 0; i < loops.size() && hole < 0; i++) {
      if (Math.signum(signed[i]) != outerSign && Math.abs(signed[i]) >= DEGENERATE_AREA) {
        hole = i;
      }
    }
    if (hole < 0 || depth >= MAX_SPLIT_DEPTH) {
      for (int i = 0; i < loops.size(); i++) {
        if (Math.signum(signed[i]) == outerSign && Math.abs(signed[i]) >= DEGENERATE_AREA) {
          double[] xy = loops.get(i);
          if (xy.length >= 2 * Polygon.MIN_POINTS) {
            out.add(Polygon.ofXy(xy));
          }
        }
      }
      return;
    }
    double[] h = loops.get(hole);
    double hx0 = Double.POSITIVE_INFINITY;
    double hx1 = Double.NEGATIVE_INFINITY;
    for (int i = 0; i < h.length; i += 2) {
      hx0 = Math.min(hx0, h[i]);
      hx1 = Math.max(hx1, h[i]);
    }
    double cut = (hx0 + hx1) / 2;
    Rectangle2D b = area.getBounds2D();
    double top = b.getMinY() - 1;
    double height = b.getHeight() + 2;
    Area left = new Area(new Rectangle2D.Double(b.getMinX() - 1, top, cut - b.getMinX() + 1,
        height));
    left.intersect(area);
    Area right = new Area(new Rectangle2D.Double(cut, top, b.getMaxX() - cut + 1, height));
    right.intersect(area);
    collect(left, out, depth + 1);
    collect(right, out, depth + 1);
  }

  /** The closed loops of an area's outline as flat x,y arrays, cleaned of repeated vertices. */
  static List<double[]> loops(Area area) {
    List<double[]> loops = new ArrayList<>();
    PathIterator it = area.getPathIterator(null, FLATNESS);
    double[] c = new double[6];
    double[] buf = new double[64];
    int n = 0;
    while (!it.isDone()) {
      int seg = it.currentSegment(c);
      if (seg == PathIterator.SEG_MOVETO) {
        if (n > 0) {
          addLoop(loops, buf, n);
        }
        n = 0;
      }
      if (seg == PathIterator.SEG_MOVETO || seg == PathIterator.SEG_LINETO) {
        if (n + 2 > buf.length) {
          buf = Arrays.copyOf(buf, buf.length * 2);
        }
        buf[n++] = c[0];
        buf[n++] = c[1];
      } else if (seg == PathIterator.SEG_CLOSE) {
        addLoop(loops, buf, n);
        n = 0;
      }
      it.next();
    }
    if (n > 0) {
      addLoop(loops, buf, n);
    }
    return loops;
  }

  private static void addLoop(List<double[]> loops, double[] buf, int n) {
    double[] xy = simplify(buf, n);
    if (xy.length >= 2 * Polygon.MIN_POINTS) {
      loops.add(xy);
    }
  }

  /** Drops repeated vertices (including a closing copy of the first) and collinear vertices. */
  private static double[] simplify(double[] buf, int n) {
    int count = n / 2;
    double[] xs = new double[count];
    double[] ys = new double[count];
    int m = 0;
    for (int i = 0; i < count; i++) {
      double x = buf[2 * i];
      double y = buf[2 * i + 1];
      if (m > 0 && xs[m - 1] == x && ys[m - 1] == y) {
        continue;
      }
      xs[m] = x;
      ys[m] = y;
      m++;
    }
    while (m > 1 && xs[m - 1] == xs[0] && ys[m - 1] == ys[0]) {
      m--;
    }
    int k = 0;
    int stable = 0;
    while (m >= Polygon.MIN_POINTS && stable < m) {
      int prev = (k + m - 1) % m;
      int next = (k + 1) % m;
      double cross = (xs[k] - xs[prev]) * (ys[next] - ys[prev])
          - (ys[k] - ys[prev]) * (xs[next] - xs[prev]);
      double span = Math.abs(xs[next] - xs[prev]) + Math.abs(ys[next] - ys[prev]);
      if (Math.abs(cross) <= COLLINEAR_EPS * Math.max(1, span * span)) {
        System.arraycopy(xs, k + 1, xs, k, m - k - 1);
        System.arraycopy(ys, k + 1, ys, k, m - k - 1);
        m--;
        stable = 0;
        if (k >= m) {
          k = 0;
        }
      } else {
        stable++;
        k = (k + 1) % m;
      }
    }
    double[] xy = new double[2 * m];
    for (int i = 0; i < m; i++) {
      xy[2 * i] = xs[i];
      xy[2 * i + 1] = ys[i];
    }
    return xy;
  }

  static double signedArea(double[] xy) {
    double twice = 0;
    int n = xy.length / 2;
    for (int i = 0; i < n; i++) {
      int j = (i + 1) % n;
      twice += xy[2 * i] * xy[2 * j + 1] - xy[2 * j] * xy[2 * i + 1];
    }
    return twice / 2;
  }
}
