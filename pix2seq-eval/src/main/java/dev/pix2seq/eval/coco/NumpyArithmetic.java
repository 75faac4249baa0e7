package dev.pix2seq.eval.coco;

/**
 * The few numpy computations whose rounding shows in COCO numbers: pairwise summation (what
 * {@code np.sum} and {@code np.mean} do on a contiguous float64 array), {@code np.linspace} and
 * {@code np.spacing(1)}.
 */
final class NumpyArithmetic {
  /** {@code np.spacing(1)}, the eps pycocotools adds to precision denominators and OKS areas. */
  static final double SPACING_ONE = Math.ulp(1.0);

  private static final int BLOCK = 128;

  private NumpyArithmetic() {}

  /** {@code np.sum(a[from:from+n])}: numpy's pairwise summation with 8 accumulators. */
  static double sum(double[] a, int from, int n) {
    return 0.0 + pairwise(a, from, n);
  }

  /** {@code np.mean(a[0:n])}; NaN for n = 0, as numpy gives. */
  static double mean(double[] a, int n) {
    return sum(a, 0, n) / n;
  }

  private static double pairwise(double[] a, int from, int n) {
    if (n < 8) {
      double res = -0.0;
      for (int i = 0; i < n; i++) {
        res += a[from + i];
      }
      return res;
    }
    if (n <= BLOCK) {
      double r0 = a[from];
      double r1 = a[from + 1];
      double r2 = a[from + 2];
      double r3 = a[from + 3];
      double r4 = a[from + 4];
      double r5 = a[from + 5];
      double r6 = a[from + 6];
      double r7 = a[from + 7];
      int i = 8;
      int end = n - (n % 8);
      for (; i < end; i += 8) {
        int p = from + i;
        r0 += a[p];
        r1 += a[p + 1];
        r2 += a[p + 2];
        r3 += a[p + 3];
        r4 += a[p + 4];
        r5 += a[p + 5];
        r6 += a[p + 6];
        r7 += a[p + 7];
      }
      double res = ((r0 + r1) + (r2 + r3)) + ((r4 + r5) + (r6 + r7));
      for (; i < n; i++) {
        res += a[from + i];
      }
      return res;
    }
    int n2 = n / 2;
    n2 -= n2 % 8;
    return pairwise(a, from, n2) + pairwise(a, from + n2, n - n2);
  }

  /** {@code np.linspace(start, stop, num)} with the endpoint, value for value. */
  static double[] linspace(double start, double stop, int num) {
    if (num < 1) {
      throw new IllegalArgumentException("linspace needs at least 1 point, found " + num);
    }
    double[] y = new double[num];
    if (num == 1) {
      y[0] = start;
      return y;
    }
    int div = num - 1;
    double delta = stop - start;
    double step = delta / div;
    for (int i = 0; i < num; i++) {
      y[i] = step == 0 ? (i / (double) div) * delta + start : i * step + start;
    }
    y[num - 1] = stop;
    return y;
  }
}
