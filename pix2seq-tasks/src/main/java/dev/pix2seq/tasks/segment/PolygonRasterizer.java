package dev.pix2seq.tasks.segment;

import dev.pix2seq.api.value.Point;
import dev.pix2seq.api.value.Polygon;
import dev.pix2seq.api.value.PolygonMask;
import java.util.Arrays;
import java.util.List;

/**
 * Rasterises normalised polygon masks onto a pixel grid spanning [0, 1] on both axes: pixel
 * (row r, column c) is set when its centre {@code ((c + 0.5) / width, (r + 0.5) / height)} lies
 * inside any polygon of the mask (each polygon by the even-odd rule; the parts are united).
 */
public final class PolygonRasterizer {

  private PolygonRasterizer() {}

  /**
   * The mask as a {@code height x width} grid.
   *
   * @throws IllegalArgumentException if a size is negative
   */
  public static RasterMask rasterize(PolygonMask mask, int height, int width) {
    if (height < 0 || width < 0) {
      throw new IllegalArgumentException(
          "raster size must be non-negative, found " + height + "x" + width);
    }
    boolean[] pixels = new boolean[height * width];
    for (Polygon polygon : mask.polygons()) {
      fill(polygon.points(), height, width, pixels);
    }
    return new RasterMask(height, width, pixels);
  }

  private static void fill(List<Point> pts, int height, int width, boolean[] pixels) {
    int n = pts.size();
    double[] crossings = new double[n];
    for (int r = 0; r < height; r++) {
      double y = (r + 0.5) / height;
      int count = 0;
      for (int i = 0; i < n; i++) {
        Point a = pts.get(i);
        Point b = pts.get((i + 1) % n);
        if ((a.y() <= y && y < b.y()) || (b.y() <= y && y < a.y())) {
          crossings[count++] = a.x() + (y - a.y()) * (b.x() - a.x()) / (b.y() - a.y());
        }
      }
      Arrays.sort(crossings, 0, count);
      for (int k = 0; k + 1 < count; k += 2) {
        int from = (int) Math.max(0, Math.ceil(crossings[k] * width - 0.5));
        int to = (int) Math.min(width, Math.ceil(crossings[k + 1] * width - 0.5));
        for (int c = from; c < to; c++) {
          pixels[r * width + c] = true;
        }
      }
    }
  }
}
