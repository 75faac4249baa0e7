package dev.pix2seq.api.mask;

import dev.pix2seq.api.value.InstanceMask;
import dev.pix2seq.api.value.Polygon;
import dev.pix2seq.api.value.PolygonMask;
import dev.pix2seq.api.value.RleMask;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Operations on COCO run-length encoded masks that give exactly what pycocotools 2.0.x's mask
 * API gives: the same pixels for polygons and boxes, the same runs, the same bounding boxes
 * (quirks included) and the same IoU values, bit for bit.
 *
 * <p>Masks are column-major ({@link RleMask}): pixel {@code (x, y)} sits at index
 * {@code x * height + y}, and runs alternate 0s and 1s starting with 0s.
 *
 * <p>All methods are static and pure; arguments are not modified; the class is thread-safe.
 *
 * <pre>{@code
 * RleMask gt = RleMasks.fromPolygons(List.of(new double[] {10, 10, 50, 10, 30, 40}), 480, 640);
 * RleMask dt = RleMask.fromCompressed(countsString, 480, 640);
 * double[][] iou = RleMasks.iou(List.of(dt), List.of(gt), new boolean[] {false});
 * }</pre>
 */
public final class RleMasks {

  /** The upsampling factor of polygon rasterisation (pycocotools' {@code scale}). */
  private static final double POLYGON_SCALE = 5;

  private RleMasks() {}

  /**
   * Run-length encodes a column-major mask (pycocotools {@code rleEncode}). The last run is
   * always written, so an empty image gives counts {@code [0]}.
   *
   * @param columnMajor pixels, {@code columnMajor[x * height + y]}; length height*width
   * @throws IllegalArgumentException if the length is not height*width
   */
  public static RleMask encode(boolean[] columnMajor, int height, int width) {
    Objects.requireNonNull(columnMajor, "columnMajor");
    checkSize(height, width);
    long n = (long) height * width;
    if (columnMajor.length != n) {
      throw new IllegalArgumentException(
          "mask of " + height + "x" + width + " needs " + n + " pixels, found "
              + columnMajor.length);
    }
    int[] counts = new int[16];
    int k = 0;
    boolean p = false;
    int c = 0;
    for (boolean v : columnMajor) {
      if (v != p) {
        if (k == counts.length) {
          counts = Arrays.copyOf(counts, k * 2);
        }
        counts[k++] = c;
        c = 0;
        p = v;
      }
      c++;
    }
    if (k == counts.length) {
      counts = Arrays.copyOf(counts, k + 1);
    }
    counts[k++] = c;
    return new RleMask(height, width, Arrays.copyOf(counts, k));
  }

  /** The pixels of a mask, column-major (pycocotools {@code rleDecode}). */
  public static boolean[] decode(RleMask rle) {
    int[] counts = rle.counts();
    boolean[] out = new boolean[Math.toIntExact((long) rle.height() * rle.width())];
    int pos = 0;
    boolean v = false;
    for (int c : counts) {
      if (v) {
        Arrays.fill(out, pos, pos + c, true);
      }
      pos += c;
      v = !v;
    }
    return out;
  }

  /** Number of foreground pixels (pycocotools {@code rleArea}). */
  public static long area(RleMask rle) {
    return rle.area();
  }

  /**
   * The bounding box {@code [x, y, width, height]} exactly as pycocotools {@code rleToBbox}
   * computes it: an empty mask gives zeros; a foreground run that crosses a column boundary
   * widens the box to the full image height; a zero-length foreground run still counts the
   * pixel before it; a trailing background run is ignored.
   */
  public static double[] toBbox(RleMask rle) {
    double[] bb = new double[4];
    toBbox(rle, bb, 0);
    return bb;
  }

  /**
   * Union ({@code intersect == false}) or intersection of masks of one size (pycocotools
   * {@code rleMerge}). No masks give an empty 0x0 mask; one mask gives itself; masks of different
   * sizes give an empty 0x0 mask, as pycocotools does.
   */
  public static RleMask merge(List<RleMask> masks, boolean intersect) {
    int n = masks.size();
    if (n == 0) {
      return new RleMask(0, 0, new int[0]);
    }
    RleMask first = masks.get(0);
    if (n == 1) {
      return first;
    }
    int h = first.height();
    int w = first.width();
    int[] cnts = first.counts();
    int m = cnts.length;
    for (int i = 1; i < n; i++) {
      RleMask bMask = masks.get(i);
      if (bMask.height() != h || bMask.width() != w) {
        return new RleMask(0, 0, new int[0]);
      }
      int[] aCounts = cnts;
      int aLen = m;
      int[] bCounts = bMask.counts();
      int bLen = bCounts.length;
      int[] out = new int[aLen + bLen + 1];
      long ca = aLen > 0 ? aCounts[0] : 0;
      long cb = bLen > 0 ? bCounts[0] : 0;
      boolean v = false;
      boolean va = false;
      boolean vb = false;
      m = 0;
      int a = 1;
      int b = 1;
      long cc = 0;
      long ct = 1;
      while (ct > 0) {
        long c = Math.min(ca, cb);
        cc += c;
        ct = 0;
        ca -= c;
        if (ca == 0 && a < aLen) {
          ca = aCounts[a++];
          va = !va;
        }
        ct += ca;
        cb -= c;
        if (cb == 0 && b < bLen) {
          cb = bCounts[b++];
          vb = !vb;
        }
        ct += cb;
        boolean vp = v;
        v = intersect ? va && vb : va || vb;
        if (v != vp || ct == 0) {
          if (m == out.length) {
            out = Arrays.copyOf(out, m * 2);
          }
          out[m++] = (int) cc;
          cc = 0;
        }
      }
      cnts = out;
    }
    return new RleMask(h, w, Arrays.copyOf(cnts, m));
  }

  /**
   * Mask IoU of every detection with every ground truth (pycocotools {@code rleIou}):
   * {@code result[d][g]}. Pairs whose {@link #toBbox boxes} do not overlap give 0 without
   * looking at pixels; for a crowd ground truth the value is intersection over the detection's
   * area; pairs of different image sizes whose boxes overlap give -1. Masks are not decoded:
   * only the foreground runs inside the overlapping columns of a pair are visited.
   *
   * @param gtIsCrowd one flag per ground truth, or null for none crowd
   * @return an array of {@code dt.size()} rows of {@code gt.size()} values
   */
  public static double[][] iou(List<RleMask> dt, List<RleMask> gt, boolean[] gtIsCrowd) {
    int m = dt.size();
    int n = gt.size();
    checkCrowd(gtIsCrowd, n);
    double[][] out = new double[m][n];
    if (m == 0 || n == 0) {
      return out;
    }
    double[] db = new double[4 * m];
    double[] gb = new double[4 * n];
    for (int d = 0; d < m; d++) {
      toBbox(dt.get(d), db, 4 * d);
    }
    for (int g = 0; g < n; g++) {
      toBbox(gt.get(g), gb, 4 * g);
    }
    boxIou(db, gb, m, n, gtIsCrowd, out);
    ForegroundRuns[] dtRuns = new ForegroundRuns[m];
    for (int g = 0; g < n; g++) {
      boolean crowd = gtIsCrowd != null && gtIsCrowd[g];
      RleMask gm = gt.get(g);
      ForegroundRuns gtRuns = null;
      for (int d = 0; d < m; d++) {
        if (out[d][g] > 0) {
          RleMask dm = dt.get(d);
          if (dm.height() != gm.height() || dm.width() != gm.width()) {
            out[d][g] = -1;
            continue;
          }
          if (gtRuns == null) {
            gtRuns = ForegroundRuns.of(gm);
          }
          if (dtRuns[d] == null) {
            dtRuns[d] = ForegroundRuns.of(dm);
          }
          ForegroundRuns dr = dtRuns[d];
          long inter = dr.intersection(gtRuns);
          long union;
          if (inter == 0) {
            union = 1;
          } else if (crowd) {
            union = dr.area();
          } else {
            union = dr.area() + gtRuns.area() - inter;
          }
          out[d][g] = (double) inter / (double) union;
        }
      }
    }
    return out;
  }

  /**
   * Box IoU of every detection with every ground truth on {@code [x, y, width, height]} boxes
   * (pycocotools {@code bbIou}): {@code result[d][g]}; for a crowd ground truth the value is
   * intersection over the detection box's area.
   *
   * @param gtIsCrowd one flag per ground truth, or null for none crowd
   * @return an array of {@code dt.size()} rows of {@code gt.size()} values
   */
  public static double[][] boxIou(List<double[]> dt, List<double[]> gt, boolean[] gtIsCrowd) {
    int m = dt.size();
    int n = gt.size();
    checkCrowd(gtIsCrowd, n);
    double[] db = flattenBoxes(dt, "dt");
    double[] gb = flattenBoxes(gt, "gt");
    double[][] out = new double[m][n];
    boxIou(db, gb, m, n, gtIsCrowd, out);
    return out;
  }

  /**
   * Rasterises one polygon {@code [x1, y1, x2, y2, ...]} exactly as pycocotools
   * {@code rleFrPoly} does (coordinates scaled by 5 and rounded, boundary walked, columns
   * crossed at pixel centres). An odd trailing number is ignored, as pycocotools ignores it.
   */
  public static RleMask fromPolygon(double[] xy, int height, int width) {
    checkSize(height, width);
    if ((long) height * width == 0) {
      return new RleMask(height, width, new int[] {0});
    }
    int k = xy.length / 2;
    long h = height;
    long w = width;
    int[] x = new int[k + 1];
    int[] y = new int[k + 1];
    for (int j = 0; j < k; j++) {
      x[j] = truncate(POLYGON_SCALE * xy[j * 2] + .5);
    }
    for (int j = 0; j < k; j++) {
      y[j] = truncate(POLYGON_SCALE * xy[j * 2 + 1] + .5);
    }
    if (k == 0) {
      return new RleMask(height, width, new int[] {height * width});
    }
    x[k] = x[0];
    y[k] = y[0];
    long total = 0;
    for (int j = 0; j < k; j++) {
      total += Math.max(Math.abs(x[j] - x[j + 1]), Math.abs(y[j] - y[j + 1])) + 1L;
    }
    int[] u = new int[Math.toIntExact(total)];
    int[] v = new int[u.length];
    int m = 0;
    for (int j = 0; j < k; j++) {
      int xs = x[j];
      int xe = x[j + 1];
      int ys = y[j];
      int ye = y[j + 1];
      int dx = Math.abs(xe - xs);
      int dy = Math.abs(ys - ye);
      boolean flip = (dx >= dy && xs > xe) || (dx < dy && ys > ye);
      if (flip) {
        int t = xs;
        xs = xe;
        xe = t;
        t = ys;
        ys = ye;
        ye = t;
      }
      double s = dx >= dy ? (double) (ye - ys) / dx : (double) (xe - xs) / dy;
      if (dx >= dy) {
        for (int d = 0; d <= dx; d++) {
          int t = flip ? dx - d : d;
          u[m] = t + xs;
          v[m] = truncate(ys + s * t + .5);
          m++;
        }
      } else {
        for (int d = 0; d <= dy; d++) {
          int t = flip ? dy - d : d;
          v[m] = t + ys;
          u[m] = truncate(xs + s * t + .5);
          m++;
        }
      }
    }
    int points = m;
    long[] a = new long[points + 1];
    m = 0;
    double maxX = w - 1;
    for (int j = 1; j < points; j++) {
      if (u[j] != u[j - 1]) {
        double xd = u[j] < u[j - 1] ? u[j] : u[j] - 1;
        xd = (xd + .5) / POLYGON_SCALE - .5;
        if (Math.floor(xd) != xd || xd < 0 || xd > maxX) {
          continue;
        }
        double yd = v[j] < v[j - 1] ? v[j] : v[j - 1];
        yd = (yd + .5) / POLYGON_SCALE - .5;
        if (yd < 0) {
          yd = 0;
        } else if (yd > h) {
          yd = h;
        }
        yd = Math.ceil(yd);
        int xi = (int) xd;
        int yi = (int) yd;
        a[m++] = (xi * (int) h + yi) & 0xFFFFFFFFL;
      }
    }
    a[m++] = (h * w) & 0xFFFFFFFFL;
    return new RleMask(height, width, boundaryRuns(a, m));
  }

  /**
   * The mask of a COCO polygon segmentation (a list of parts) as pycocotools'
   * {@code COCO.annToRLE} builds it: {@code frPyObjects} on the list, then the union of the
   * parts. pycocotools decides by the first part's length: parts are rasterised as polygons
   * when it has more than 4 numbers.
   *
   * @throws IllegalArgumentException if there are no parts or the first part has 4 or fewer
   *     numbers (pycocotools fails on such input)
   */
  public static RleMask fromPolygons(List<double[]> polygons, int height, int width) {
    if (polygons.isEmpty()) {
      throw new IllegalArgumentException("polygon segmentation has no parts");
    }
    if (polygons.get(0).length <= 4) {
      throw new IllegalArgumentException(
          "polygon segmentation's first part needs more than 4 numbers (at least 3 points), "
              + "found " + polygons.get(0).length);
    }
    List<RleMask> parts = new ArrayList<>(polygons.size());
    for (double[] p : polygons) {
      parts.add(fromPolygon(p, height, width));
    }
    return merge(parts, false);
  }

  /** The mask of a {@link PolygonMask}, as {@link #fromPolygons} builds it. */
  public static RleMask fromPolygonMask(PolygonMask mask, int height, int width) {
    List<double[]> parts = new ArrayList<>(mask.polygons().size());
    for (Polygon p : mask.polygons()) {
      parts.add(p.toXy());
    }
    return fromPolygons(parts, height, width);
  }

  /**
   * Any instance mask as RLE in an image of the given size: polygons are rasterised, RLE is
   * returned as it is.
   *
   * @throws IllegalArgumentException if an RLE mask's size differs from the image's
   */
  public static RleMask toRle(InstanceMask mask, int height, int width) {
    if (mask instanceof RleMask r) {
      if (r.height() != height || r.width() != width) {
        throw new IllegalArgumentException(
            "RLE mask is " + r.height() + "x" + r.width() + " but the image is " + height + "x"
                + width);
      }
      return r;
    }
    return fromPolygonMask((PolygonMask) mask, height, width);
  }

  /**
   * Rasterises a box {@code [x, y, width, height]} as pycocotools {@code rleFrBbox} does: as the
   * polygon of its four corners.
   */
  public static RleMask fromBbox(double[] xywh, int height, int width) {
    if (xywh.length != 4) {
      throw new IllegalArgumentException("box needs 4 numbers [x, y, w, h], found " + xywh.length);
    }
    double xs = xywh[0];
    double xe = xs + xywh[2];
    double ys = xywh[1];
    double ye = ys + xywh[3];
    return fromPolygon(new double[] {xs, ys, xs, ye, xe, ye, xe, ys}, height, width);
  }

  // ---------------------------------------------------------------------------------------

  /** The final step of rleFrPoly: sorted boundary positions to runs, double toggles merged. */
  private static int[] boundaryRuns(long[] a, int k) {
    Arrays.sort(a, 0, k);
    long p = 0;
    for (int j = 0; j < k; j++) {
      long t = a[j];
      a[j] -= p;
      p = t;
    }
    int[] b = new int[k];
    int j = 0;
    int m = 0;
    b[m++] = (int) a[j++];
    while (j < k) {
      if (a[j] > 0) {
        b[m++] = (int) a[j++];
      } else {
        j++;
        if (j < k) {
          b[m - 1] += (int) a[j++];
        }
      }
    }
    return Arrays.copyOf(b, m);
  }

  private static void toBbox(RleMask rle, double[] bb, int off) {
    int h = rle.height();
    int w = rle.width();
    int[] cnts = rle.counts();
    int m = (cnts.length / 2) * 2;
    if (m == 0 || h == 0) {
      bb[off] = 0;
      bb[off + 1] = 0;
      bb[off + 2] = 0;
      bb[off + 3] = 0;
      return;
    }
    // C's uint arithmetic: positions fit an int (they are at most h*w) except for the one
    // wrap-around (an empty first run followed by an empty foreground run), which takes the
    // long path. Positions mostly advance by less than a column, so the column is tracked
    // instead of divided out.
    long xs = w;
    long ys = h;
    long xe = 0;
    long ye = 0;
    int cc = 0;
    long xp = 0;
    int column = 0;
    int columnStart = 0;
    for (int j = 0; j < m; j++) {
      cc += cnts[j];
      int t = cc - (j & 1);
      long x;
      long y;
      if (t >= 0) {
        int rel = t - columnStart;
        if (rel < 0 || rel >= h) {
          if (rel >= h && rel - h < h) {
            column++;
            columnStart += h;
          } else {
            column = t / h;
            columnStart = column * h;
          }
        }
        x = column;
        y = t - columnStart;
      } else {
        long tu = t & 0xFFFFFFFFL;
        y = tu % h;
        x = (tu - y) / h;
      }
      if ((j & 1) == 0) {
        xp = x;
      } else if (xp < x) {
        ys = 0;
        ye = h - 1;
      }
      xs = Math.min(xs, x);
      xe = Math.max(xe, x);
      ys = Math.min(ys, y);
      ye = Math.max(ye, y);
    }
    bb[off] = xs;
    bb[off + 2] = (xe - xs + 1) & 0xFFFFFFFFL;
    bb[off + 1] = ys;
    bb[off + 3] = (ye - ys + 1) & 0xFFFFFFFFL;
  }

  private static void boxIou(
      double[] dt, double[] gt, int m, int n, boolean[] crowdFlags, double[][] out) {
    for (int g = 0; g < n; g++) {
      int go = 4 * g;
      double ga = gt[go + 2] * gt[go + 3];
      boolean crowd = crowdFlags != null && crowdFlags[g];
      for (int d = 0; d < m; d++) {
        int o = 4 * d;
        double da = dt[o + 2] * dt[o + 3];
        out[d][g] = 0;
        double w = Math.min(dt[o + 2] + dt[o], gt[go + 2] + gt[go])
            - Math.max(dt[o], gt[go]);
        if (w <= 0) {
          continue;
        }
        double h = Math.min(dt[o + 3] + dt[o + 1], gt[go + 3] + gt[go + 1])
            - Math.max(dt[o + 1], gt[go + 1]);
        if (h <= 0) {
          continue;
        }
        double i = w * h;
        double u = crowd ? da : da + ga - i;
        out[d][g] = i / u;
      }
    }
  }

  private static double[] flattenBoxes(List<double[]> boxes, String what) {
    double[] flat = new double[4 * boxes.size()];
    for (int i = 0; i < boxes.size(); i++) {
      double[] b = boxes.get(i);
      if (b.length != 4) {
        throw new IllegalArgumentException(
            what + " box " + i + " needs 4 numbers [x, y, w, h], found " + b.length);
      }
      System.arraycopy(b, 0, flat, 4 * i, 4);
    }
    return flat;
  }

  /**
   * C's double-to-int conversion as x86-64 performs it (pycocotools' reference builds): toward
   * zero, and NaN or out-of-range values become {@code Integer.MIN_VALUE}. A zero-length polygon
   * edge computes 0/0 here.
   */
  private static int truncate(double v) {
    if (v > -2147483649.0 && v < 2147483648.0) {
      return (int) v;
    }
    return Integer.MIN_VALUE;
  }

  private static void checkCrowd(boolean[] gtIsCrowd, int n) {
    if (gtIsCrowd != null && gtIsCrowd.length != n) {
      throw new IllegalArgumentException(
          "need one crowd flag per ground truth (" + n + "), found " + gtIsCrowd.length);
    }
  }

  private static void checkSize(int height, int width) {
    if (height < 0 || width < 0) {
      throw new IllegalArgumentException(
          "mask size must be non-negative, found " + height + "x" + width);
    }
  }
}
