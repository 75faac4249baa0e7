package dev.pix2seq.eval.coco;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The outcome of a COCO evaluation: pycocotools' {@code stats} (12 numbers for bbox and segm,
 * 10 for keypoints, in its order), its {@code precision} {@code [T][R][K][A][M]} and
 * {@code recall} {@code [T][K][A][M]} arrays (-1 where a category has no ground truth), AP per
 * category, and the summary lines exactly as {@code COCOeval.summarize()} prints them.
 *
 * <p>Stats, in order, for bbox/segm: AP@[.50:.95], AP@.50, AP@.75, AP small, AP medium, AP large
 * (maxDets 100), AR@1, AR@10, AR@100, AR small, AR medium, AR large; for keypoints (maxDets 20):
 * AP, AP@.50, AP@.75, AP medium, AP large, AR, AR@.50, AR@.75, AR medium, AR large. A value is
 * -1 when nothing defines it (no ground truth in that area range, say).
 *
 * <p>Immutable: arrays are copied out. Thread safe.
 */
public final class CocoEvalResult {
  private final CocoEvalParams params;
  private final int[] catIds;
  private final double[] stats;
  private final double[] precision;
  private final double[] recall;
  private final int[] shape;
  private final Map<Integer, Double> perCategoryAp;
  private final List<String> summaryLines;

  private CocoEvalResult(CocoEvalParams params, int[] catIds, double[] stats,
      Accumulator acc, Map<Integer, Double> perCategoryAp, List<String> summaryLines) {
    this.params = params;
    this.catIds = catIds;
    this.stats = stats;
    this.precision = acc.precision;
    this.recall = acc.recall;
    this.shape = new int[] {acc.t, acc.r, acc.k, acc.a, acc.m};
    this.perCategoryAp = perCategoryAp;
    this.summaryLines = summaryLines;
  }

  /** pycocotools' {@code summarize()} on accumulated arrays. */
  static CocoEvalResult summarize(PreparedEvaluation p, Accumulator acc) {
    CocoEvalParams params = p.params;
    List<Spec> specs = params.iouType() == IouType.KEYPOINTS ? keypointSpecs()
        : detectionSpecs(params.maxDets());
    double[] stats = new double[specs.size()];
    List<String> lines = new ArrayList<>(specs.size());
    for (int i = 0; i < specs.size(); i++) {
      Spec s = specs.get(i);
      stats[i] = value(params, acc, s);
      lines.add(line(params, s, stats[i]));
    }
    int[] catIds = params.useCats() ? p.catIds.clone() : new int[] {-1};
    Map<Integer, Double> perCategory = new LinkedHashMap<>();
    if (params.useCats()) {
      int areaAll = 0;
      for (int a = 0; a < acc.a; a++) {
        if (params.areaRanges().get(a).label().equals(AreaRange.ALL.label())) {
          areaAll = a;
          break;
        }
      }
      double[] buf = new double[acc.t * acc.r];
      for (int k = 0; k < acc.k; k++) {
        int n = 0;
        for (int t = 0; t < acc.t; t++) {
          for (int r = 0; r < acc.r; r++) {
            double v = acc.precision[(((t * acc.r + r) * acc.k + k) * acc.a + areaAll) * acc.m
                + acc.m - 1];
            if (v > -1) {
              buf[n++] = v;
            }
          }
        }
        perCategory.put(catIds[k], n == 0 ? -1 : NumpyArithmetic.mean(buf, n));
      }
    }
    return new CocoEvalResult(params, catIds, stats, acc,
        Collections.unmodifiableMap(perCategory), List.copyOf(lines));
  }

  /** One summary line: AP or AR, an IoU threshold or all, an area label, a maxDets. */
  private record Spec(boolean ap, Double iouThr, String area, int maxDets) {}

  private static List<Spec> detectionSpecs(int[] maxDets) {
    int m2 = maxDets[2];
    return List.of(
        new Spec(true, null, "all", 100),
        new Spec(true, .5, "all", m2),
        new Spec(true, .75, "all", m2),
        new Spec(true, null, "small", m2),
        new Spec(true, null, "medium", m2),
        new Spec(true, null, "large", m2),
        new Spec(false, null, "all", maxDets[0]),
        new Spec(false, null, "all", maxDets[1]),
        new Spec(false, null, "all", m2),
        new Spec(false, null, "small", m2),
        new Spec(false, null, "medium", m2),
        new Spec(false, null, "large", m2));
  }

  private static List<Spec> keypointSpecs() {
    return List.of(
        new Spec(true, null, "all", 20),
        new Spec(true, .5, "all", 20),
        new Spec(true, .75, "all", 20),
        new Spec(true, null, "medium", 20),
        new Spec(true, null, "large", 20),
        new Spec(false, null, "all", 20),
        new Spec(false, .5, "all", 20),
        new Spec(false, .75, "all", 20),
        new Spec(false, null, "medium", 20),
        new Spec(false, null, "large", 20));
  }

  /** pycocotools' {@code _summarize}: the mean of the entries above -1, or -1 for none. */
  private static double value(CocoEvalParams params, Accumulator acc, Spec s) {
    int a = -1;
    for (int i = 0; i < acc.a; i++) {
      if (params.areaRanges().get(i).label().equals(s.area())) {
        a = i;
        break;
      }
    }
    int m = -1;
    for (int i = 0; i < acc.m; i++) {
      if (params.maxDet(i) == s.maxDets()) {
        m = i;
        break;
      }
    }
    if (a < 0 || m < 0) {
      return -1;
    }
    double[] buf = new double[s.ap() ? acc.t * acc.r * acc.k : acc.t * acc.k];
    int n = 0;
    for (int t = 0; t < acc.t; t++) {
      if (s.iouThr() != null && params.iouThr(t) != s.iouThr()) {
        continue;
      }
      if (s.ap()) {
        for (int r = 0; r < acc.r; r++) {
          for (int k = 0; k < acc.k; k++) {
            double v = acc.precision[(((t * acc.r + r) * acc.k + k) * acc.a + a) * acc.m + m];
            if (v > -1) {
              buf[n++] = v;
            }
          }
        }
      } else {
        for (int k = 0; k < acc.k; k++) {
          double v = acc.recall[((t * acc.k + k) * acc.a + a) * acc.m + m];
          if (v > -1) {
            buf[n++] = v;
          }
        }
      }
    }
    return n == 0 ? -1 : NumpyArithmetic.mean(buf, n);
  }

  private static String line(CocoEvalParams params, Spec s, double value) {
    double[] thr = params.iouThrs();
    String iou = s.iouThr() == null
        ? fixed(thr[0], 2) + ":" + fixed(thr[thr.length - 1], 2)
        : fixed(s.iouThr(), 2);
    return String.format(Locale.ROOT, " %-18s %s @[ IoU=%-9s | area=%6s | maxDets=%3d ] = %s",
        s.ap() ? "Average Precision" : "Average Recall", s.ap() ? "(AP)" : "(AR)", iou,
        s.area(), s.maxDets(), fixed(value, 3));
  }

  /** Python's {@code '{:0.Nf}'.format(x)}: the exact binary value rounded half to even. */
  static String fixed(double x, int digits) {
    return new BigDecimal(x).setScale(digits, RoundingMode.HALF_EVEN).toPlainString();
  }

  public IouType iouType() {
    return params.iouType();
  }

  /** The parameters of the evaluation. */
  public CocoEvalParams params() {
    return params;
  }

  /** The summary numbers in pycocotools' order (see the class description). */
  public double[] stats() {
    return stats.clone();
  }

  /** The K category ids of the arrays' third axis ({@code [-1]} without useCats). */
  public int[] catIds() {
    return catIds.clone();
  }

  /** {@code {T, R, K, A, M}}: thresholds, recall points, categories, areas, maxDets. */
  public int[] precisionShape() {
    return shape.clone();
  }

  /** One precision value; -1 where undefined. */
  public double precision(int t, int r, int k, int a, int m) {
    return precision[(((index(t, 0) * shape[1] + index(r, 1)) * shape[2] + index(k, 2))
        * shape[3] + index(a, 3)) * shape[4] + index(m, 4)];
  }

  /** One recall value; -1 where undefined. */
  public double recall(int t, int k, int a, int m) {
    return recall[((index(t, 0) * shape[2] + index(k, 2)) * shape[3] + index(a, 3)) * shape[4]
        + index(m, 4)];
  }

  /** The precision array {@code [T][R][K][A][M]} (a copy). */
  public double[][][][][] precisionArray() {
    double[][][][][] out = new double[shape[0]][shape[1]][shape[2]][shape[3]][shape[4]];
    int i = 0;
    for (double[][][][] a : out) {
      for (double[][][] b : a) {
        for (double[][] c : b) {
          for (double[] d : c) {
            for (int m = 0; m < d.length; m++) {
              d[m] = precision[i++];
            }
          }
        }
      }
    }
    return out;
  }

  /** The recall array {@code [T][K][A][M]} (a copy). */
  public double[][][][] recallArray() {
    double[][][][] out = new double[shape[0]][shape[2]][shape[3]][shape[4]];
    int i = 0;
    for (double[][][] b : out) {
      for (double[][] c : b) {
        for (double[] d : c) {
          for (int m = 0; m < d.length; m++) {
            d[m] = recall[i++];
          }
        }
      }
    }
    return out;
  }

  /**
   * AP@[.50:.95] per category id (area "all", the largest maxDets), in the order of
   * {@link #catIds()}; -1 for a category without ground truth. Empty without useCats.
   */
  public Map<Integer, Double> perCategoryAp() {
    return perCategoryAp;
  }

  /** The summary lines as pycocotools prints them (without trailing newlines). */
  public List<String> summaryLines() {
    return summaryLines;
  }

  /** The summary lines joined by newlines. */
  public String summary() {
    return String.join("\n", summaryLines);
  }

  private int index(int i, int axis) {
    if (i < 0 || i >= shape[axis]) {
      throw new IndexOutOfBoundsException(
          "index " + i + " outside 0.." + (shape[axis] - 1) + " on axis " + "TRKAM".charAt(axis));
    }
    return i;
  }

  @Override
  public String toString() {
    return "CocoEvalResult[" + params.iouType() + ", stats=" + Arrays.toString(stats)
        + "]";
  }
}
