package dev.pix2seq.api.value;

import java.util.ArrayList;
import java.util.List;

/**
 * A simple closed polygon of at least 3 vertices (the last vertex connects to the first).
 *
 * @param points vertices in order; copied
 */
public record Polygon(List<Point> points) {

  /** The fewest vertices a polygon may have. */
  public static final int MIN_POINTS = 3;

  public Polygon {
    points = List.copyOf(points);
    if (points.size() < MIN_POINTS) {
      throw new IllegalArgumentException(
          "polygon needs at least " + MIN_POINTS + " points, found " + points.size());
    }
  }

  /** A polygon from COCO's flat {@code [x1, y1, x2, y2, ...]} list. */
  public static Polygon ofXy(double... xy) {
    if (xy.length % 2 != 0) {
      throw new IllegalArgumentException(
          "polygon coordinates come in x,y pairs, found " + xy.length + " numbers");
    }
    List<Point> pts = new ArrayList<>(xy.length / 2);
    for (int i = 0; i < xy.length; i += 2) {
      pts.add(new Point(xy[i], xy[i + 1]));
    }
    return new Polygon(pts);
  }

  /** COCO's flat {@code [x1, y1, x2, y2, ...]} list. */
  public double[] toXy() {
    double[] xy = new double[points.size() * 2];
    for (int i = 0; i < points.size(); i++) {
      xy[2 * i] = points.get(i).x();
      xy[2 * i + 1] = points.get(i).y();
    }
    return xy;
  }

  /** Signed-area-free area by the shoelace formula (always non-negative). */
  public double area() {
    double twice = 0;
    int n = points.size();
    for (int i = 0; i < n; i++) {
      Point a = points.get(i);
      Point b = points.get((i + 1) % n);
      twice += a.x() * b.y() - b.x() * a.y();
    }
    return Math.abs(twice) / 2;
  }

  /** The tightest box around the vertices. */
  public BoundingBox bounds() {
    double x0 = Double.POSITIVE_INFINITY;
    double y0 = Double.POSITIVE_INFINITY;
    double x1 = Double.NEGATIVE_INFINITY;
    double y1 = Double.NEGATIVE_INFINITY;
    for (Point p : points) {
      x0 = Math.min(x0, p.x());
      y0 = Math.min(y0, p.y());
      x1 = Math.max(x1, p.x());
      y1 = Math.max(y1, p.y());
    }
    return new BoundingBox(x0, y0, x1, y1);
  }
}
