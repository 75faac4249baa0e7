package dev.pix2seq.data.synth;

import dev.pix2seq.api.value.Point;
import dev.pix2seq.api.value.Polygon;
import java.util.Arrays;
import java.util.List;

/**
 * Test oracle: fills polygons by the even-odd rule, one scanline per pixel row, sampling pixel
 * centres ({@code x + 0.5, y + 0.5}). Independent of java.awt on purpose.
 */
public final class ScanlineRasterizer {
  private ScanlineRasterizer() {}

  /** The union of the polygons (each filled on its own, as COCO does) as a row-major mask. */
  public static boolean[] fill(List<Polygon> polygons, int width, int height) {
    boolean[] mask = new boolean[width * height];
    for (Polygon p : polygons) {
      fillOne(p, width, height, mask);
    }
    return mask;
  }

  private static void fillOne(Polygon p, int width, int height, boolean[] mask) {
    List<Point> pts = p.points();
    int n = pts.size();
    double[] xs = new double[n];
    for (int y = 0; y < height; y++) {
      double sy = y + 0.5;
      int k = 0;
      for (int i = 0; i < n; i++) {
        Point a = pts.get(i);
        Point b = pts.get((i + 1) % n);
        if ((a.y() <= sy) != (b.y() <= sy)) {
          xs[k++] = a.x() + (sy - a.y()) * (b.x() - a.x()) / (b.y() - a.y());
        }
      }
      Arrays.sort(xs, 0, k);
      for (int j = 0; j + 1 < k; j += 2) {
        int from = (int) Math.max(0, Math.ceil(xs[j] - 0.5));
        int to = (int) Math.min(width - 1, Math.ceil(xs[j + 1] - 0.5) - 1);
        for (int x = from; x <= to; x++) {
          mask[y * width + x] = true;
        }
      }
    }
  }

  /** Number of positions where the masks differ. */
  public static int difference(boolean[] a, boolean[] b) {
    int d = 0;
    for (int i = 0; i < a.length; i++) {
      if (a[i] != b[i]) {
        d++;
      }
    }
    return d;
  }
}
