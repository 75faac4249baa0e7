package dev.pix2seq.eval.coco;

/**
 * Orders items by descending score with ties in their given order: what pycocotools gets from
 * {@code np.argsort(-scores, kind='mergesort')}. Scores compare with {@code >}, so 0.0 and -0.0
 * tie as they do in numpy.
 */
final class ScoreOrder {
  private static final int INSERTION_LIMIT = 24;

  private ScoreOrder() {}

  /** The items sorted by {@code score[item]}, highest first, stable. Returns a new array. */
  static int[] descending(int[] items, double[] score) {
    int[] a = items.clone();
    sort(a, score);
    return a;
  }

  /** Sorts {@code a} in place by {@code score[a[i]]}, highest first, stable. */
  static void sort(int[] a, double[] score) {
    int n = a.length;
    if (n <= INSERTION_LIMIT) {
      insertion(a, 0, n, score);
      return;
    }
    for (int lo = 0; lo < n; lo += INSERTION_LIMIT) {
      insertion(a, lo, Math.min(n, lo + INSERTION_LIMIT), score);
    }
    int[] src = a;
    int[] dst = new int[n];
    for (int width = INSERTION_LIMIT; width < n; width *= 2) {
      for (int lo = 0; lo < n; lo += 2 * width) {
        int mid = Math.min(n, lo + width);
        int hi = Math.min(n, lo + 2 * width);
        merge(src, dst, lo, mid, hi, score);
      }
      int[] t = src;
      src = dst;
      dst = t;
    }
    if (src != a) {
      System.arraycopy(src, 0, a, 0, n);
    }
  }

  private static void insertion(int[] a, int lo, int hi, double[] score) {
    for (int i = lo + 1; i < hi; i++) {
      int x = a[i];
      double s = score[x];
      int j = i - 1;
      while (j >= lo && s > score[a[j]]) {
        a[j + 1] = a[j];
        j--;
      }
      a[j + 1] = x;
    }
  }

  private static void merge(int[] src, int[] dst, int lo, int mid, int hi, double[] score) {
    int i = lo;
    int j = mid;
    int k = lo;
    while (i < mid && j < hi) {
      if (score[src[j]] > score[src[i]]) {
        dst[k++] = src[j++];
      } else {
        dst[k++] = src[i++];
      }
    }
    while (i < mid) {
      dst[k++] = src[i++];
    }
    while (j < hi) {
      dst[k++] = src[j++];
    }
  }
}
