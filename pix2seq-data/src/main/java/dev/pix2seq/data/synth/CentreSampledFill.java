package dev.pix2seq.data.synth;

import java.awt.geom.Area;
import java.awt.geom.PathIterator;
import java.util.Arrays;

/**
 * Fills an {@link Area} into packed RGB pixels without antialiasing: a pixel takes the colour
 * exactly when its centre {@code (x + 0.5, y + 0.5)} lies inside the area (even-odd rule over the
 * area's outline, which never crosses itself; a centre on a left edge is inside, on a right edge
 * outside). Unlike the JDK's filler, which rounds edges to a fixed-point grid, this rule is exact,
 * so the pixels agree with polygons computed from the same areas, and the same on every JDK.
 */
final class CentreSampledFill {
  private static final double FLATNESS = 0.05;

  private CentreSampledFill() {}

  static void fill(Area area, int rgb, int[] pixels, int width, int height) {
    double[] edges = edges(area);
    int count = edges.length / 4;
    if (count == 0) {
      return;
    }
    double minY = Double.POSITIVE_INFINITY;
    double maxY = Double.NEGATIVE_INFINITY;
    for (int e = 0; e < count; e++) {
      minY = Math.min(minY, Math.min(edges[4 * e + 1], edges[4 * e + 3]));
      maxY = Math.max(maxY, Math.max(edges[4 * e + 1], edges[4 * e + 3]));
    }
    int rowFrom = Math.max(0, (int) Math.floor(minY - 0.5));
    int rowTo = Math.min(height - 1, (int) Math.ceil(maxY - 0.5));
    double[] xs = new double[count];
    for (int y = rowFrom; y <= rowTo; y++) {
      double sy = y + 0.5;
      int k = 0;
      for (int e = 0; e < count; e++) {
        double ax = edges[4 * e];
        double ay = edges[4 * e + 1];
        double bx = edges[4 * e + 2];
        double by = edges[4 * e + 3];
        if ((ay <= sy) != (by <= sy)) {
          xs[k++] = ax + (sy - ay) * (bx - ax) / (by - ay);
        }
      }
      Arrays.sort(xs, 0, k);
      int row = y * width;
      for (int j = 0; j + 1 < k; j += 2) {
        int from = (int) Math.max(0, Math.ceil(xs[j] - 0.5));
        int to = (int) Math.min(width - 1, Math.ceil(xs[j + 1] - 0.5) - 1);
        for (int x = from; x <= to; x++) {
          pixels[row + x] = rgb;
        }
      }
    }
  }

  /** The outline's edges as x0, y0, x1, y1 quadruples (closing edges included). */
  private static double[] edges(Area area) {
    double[] out = new double[64];
    int n = 0;
    double[] c = new double[6];
    double startX = 0;
    double startY = 0;
    double lastX = 0;
    double lastY = 0;
    boolean open = false;
    PathIterator it = area.getPathIterator(null, FLATNESS);
    while (!it.isDone()) {
      int seg = it.currentSegment(c);
      if (seg == PathIterator.SEG_MOVETO || seg == PathIterator.SEG_CLOSE) {
        if (open && (lastX != startX || lastY != startY)) {
          out = add(out, n, lastX, lastY, startX, startY);
          n += 4;
        }
        open = false;
      }
      if (seg == PathIterator.SEG_MOVETO) {
        startX = c[0];
        startY = c[1];
        lastX = c[0];
        lastY = c[1];
        open = true;
      } else if (seg == PathIterator.SEG_LINETO) {
        out = add(out, n, lastX, lastY, c[0], c[1]);
        n += 4;
        lastX = c[0];
        lastY = c[1];
      }
      it.next();
    }
    if (open && (lastX != startX || lastY != startY)) {
      out = add(out, n, lastX, lastY, startX, startY);
      n += 4;
    }
    return Arrays.copyOf(out, n);
  }

  private static double[] add(double[] out, int n, double x0, double y0, double x1, double y1) {
    double[] o = n + 4 > out.length ? Arrays.copyOf(out, out.length * 2) : out;
    o[n] = x0;
    o[n + 1] = y0;
    o[n + 2] = x1;
    o[n + 3] = y1;
    return o;
  }
}
