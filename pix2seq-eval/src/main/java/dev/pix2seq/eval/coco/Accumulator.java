package dev.pix2seq.eval.coco;

import dev.pix2seq.api.DatasetException;
import java.util.Arrays;

/**
 * pycocotools' {@code accumulate}: per category, area range and maxDets, the detections of all
 * images pooled and stably sorted by score (ties by image order, then by score order within an
 * image), cumulative true/false positives, recall, precision made monotone from the right, and
 * precision read at each recall threshold ({@code np.searchsorted(rc, recThrs, 'left')}).
 * Categories are independent and run in parallel; each writes only its own slots.
 */
final class Accumulator {
  /** {@code [T][R][K][A][M]} flattened in C order; -1 where undefined. */
  final double[] precision;
  /** {@code [T][K][A][M]} flattened in C order; -1 where undefined. */
  final double[] recall;
  final int t;
  final int r;
  final int k;
  final int a;
  final int m;

  private Accumulator(int t, int r, int k, int a, int m) {
    this.t = t;
    this.r = r;
    this.k = k;
    this.a = a;
    this.m = m;
    precision = new double[t * r * k * a * m];
    recall = new double[t * k * a * m];
    Arrays.fill(precision, -1);
    Arrays.fill(recall, -1);
  }

  static Accumulator accumulate(PreparedEvaluation p, UnitEvaluation[] units,
      ParallelRunner runner) throws DatasetException {
    CocoEvalParams params = p.params;
    Accumulator acc = new Accumulator(params.iouThrCount(), params.recThrCount(),
        p.unitCategories, params.areaRanges().size(), params.maxDetCount());
    runner.forEach(p.unitCategories, k -> acc.category(p, units, k));
    return acc;
  }

  private void category(PreparedEvaluation p, UnitEvaluation[] units, int kk) {
    CocoEvalParams params = p.params;
    int images = p.imageCount();
    int present = 0;
    int n = 0;
    UnitEvaluation[] evals = new UnitEvaluation[images];
    for (int i = 0; i < images; i++) {
      UnitEvaluation e = units[kk * images + i];
      if (e != null) {
        evals[present++] = e;
        n += e.dt.length;
      }
    }
    if (present == 0) {
      return;
    }
    double[] scores = new double[n];
    int[] unitOf = new int[n];
    int[] rank = new int[n];
    int pos = 0;
    for (int u = 0; u < present; u++) {
      UnitEvaluation e = evals[u];
      for (int d = 0; d < e.dt.length; d++) {
        scores[pos] = e.scores[d];
        unitOf[pos] = u;
        rank[pos] = d;
        pos++;
      }
    }
    int[] order = new int[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    ScoreOrder.sort(order, scores);
    int[][] kept = new int[m][];
    for (int mm = 0; mm < m; mm++) {
      int maxDet = params.maxDet(mm);
      int[] seq = new int[n];
      int c = 0;
      for (int i : order) {
        if (rank[i] < maxDet) {
          seq[c++] = i;
        }
      }
      kept[mm] = Arrays.copyOf(seq, c);
    }
    double[] rc = new double[n];
    double[] pr = new double[n];
    double[] q = new double[r];
    for (int aa = 0; aa < a; aa++) {
      long npig = 0;
      for (int u = 0; u < present; u++) {
        npig += evals[u].nonIgnoredGt[aa];
      }
      if (npig == 0) {
        continue;
      }
      double npigValue = npig;
      for (int mm = 0; mm < m; mm++) {
        int[] seq = kept[mm];
        int nd = seq.length;
        for (int tt = 0; tt < t; tt++) {
          double tp = 0;
          double fp = 0;
          for (int j = 0; j < nd; j++) {
            int i = seq[j];
            UnitEvaluation e = evals[unitOf[i]];
            byte s = e.states[aa][tt * e.dt.length + rank[i]];
            if (s == UnitEvaluation.TRUE_POSITIVE) {
              tp++;
            } else if (s == UnitEvaluation.FALSE_POSITIVE) {
              fp++;
            }
            rc[j] = tp / npigValue;
            pr[j] = tp / (fp + tp + NumpyArithmetic.SPACING_ONE);
          }
          recall[((tt * k + kk) * a + aa) * m + mm] = nd > 0 ? rc[nd - 1] : 0;
          for (int i = nd - 1; i > 0; i--) {
            if (pr[i] > pr[i - 1]) {
              pr[i - 1] = pr[i];
            }
          }
          Arrays.fill(q, 0);
          for (int ri = 0; ri < r; ri++) {
            int pi = searchLeft(rc, nd, params.recThr(ri));
            if (pi >= nd) {
              break;
            }
            q[ri] = pr[pi];
          }
          for (int ri = 0; ri < r; ri++) {
            precision[(((tt * r + ri) * k + kk) * a + aa) * m + mm] = q[ri];
          }
        }
      }
    }
  }

  /** The first index in {@code rc[0:n]} whose value is not below x ({@code side='left'}). */
  private static int searchLeft(double[] rc, int n, double x) {
    int lo = 0;
    int hi = n;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (rc[mid] < x) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }
}
