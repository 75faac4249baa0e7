package dev.pix2seq.api.mask;

import dev.pix2seq.api.value.RleMask;

/**
 * The foreground of an RLE mask as sorted, disjoint half-open pixel intervals
 * {@code [begin[i], end[i])} in column-major order, for counting the overlap of two masks
 * without decoding them. Intervals of zero length are dropped; touching intervals may remain.
 * Immutable once built.
 */
final class ForegroundRuns {

  private final int[] begin;
  private final int[] end;
  private final int count;
  private final long area;

  private ForegroundRuns(int[] begin, int[] end, int count, long area) {
    this.begin = begin;
    this.end = end;
    this.count = count;
    this.area = area;
  }

  static ForegroundRuns of(RleMask mask) {
    int[] counts = mask.counts();
    int runs = counts.length / 2;
    int[] begin = new int[runs];
    int[] end = new int[runs];
    int k = 0;
    long pos = 0;
    long area = 0;
    for (int j = 0; j < counts.length; j++) {
      int c = counts[j];
      if ((j & 1) == 1 && c > 0) {
        begin[k] = (int) pos;
        end[k] = (int) (pos + c);
        k++;
        area += c;
      }
      pos += c;
    }
    return new ForegroundRuns(begin, end, k, area);
  }

  /** Foreground pixel count. */
  long area() {
    return area;
  }

  /** Number of pixels set in both this and the other mask (same image size). */
  long intersection(ForegroundRuns other) {
    if (count == 0 || other.count == 0) {
      return 0;
    }
    int lo = Math.max(begin[0], other.begin[0]);
    int hi = Math.min(end[count - 1], other.end[other.count - 1]);
    if (lo >= hi) {
      return 0;
    }
    int i = firstEndingAfter(lo);
    int j = other.firstEndingAfter(lo);
    int[] ob = other.begin;
    int[] oe = other.end;
    int on = other.count;
    long inter = 0;
    while (i < count && j < on) {
      int b1 = begin[i];
      int e1 = end[i];
      int b2 = ob[j];
      int e2 = oe[j];
      if (b1 >= hi || b2 >= hi) {
        break;
      }
      int overlap = Math.min(e1, e2) - Math.max(b1, b2);
      if (overlap > 0) {
        inter += overlap;
      }
      if (e1 <= e2) {
        i++;
      } else {
        j++;
      }
    }
    return inter;
  }

  /** Index of the first interval whose end lies after {@code pos}. */
  private int firstEndingAfter(int pos) {
    int a = 0;
    int b = count;
    while (a < b) {
      int mid = (a + b) >>> 1;
      if (end[mid] <= pos) {
        a = mid + 1;
      } else {
        b = mid;
      }
    }
    return a;
  }
}
