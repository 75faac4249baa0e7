package dev.pix2seq.api.value;

import java.util.Arrays;

/**
 * A binary mask in COCO run-length encoding: pixels in column-major order (down each column,
 * then the next column), {@code counts} alternate runs of 0 and 1 starting with 0. Equality
 * compares the runs.
 *
 * @param height image height
 * @param width image width
 * @param counts run lengths; not copied, treat as read-only
 */
public record RleMask(int height, int width, int[] counts) implements InstanceMask {

  public RleMask {
    if (height < 0 || width < 0) {
      throw new IllegalArgumentException(
          "RLE size must be non-negative, found " + height + "x" + width);
    }
    long total = 0;
    for (int c : counts) {
      if (c < 0) {
        throw new IllegalArgumentException("RLE counts must be non-negative, found " + c);
      }
      total += c;
    }
    if (total != (long) height * width) {
      throw new IllegalArgumentException(
          "RLE counts must sum to height*width=" + ((long) height * width) + ", found " + total);
    }
  }

  /** Number of foreground pixels. */
  public long area() {
    long a = 0;
    for (int i = 1; i < counts.length; i += 2) {
      a += counts[i];
    }
    return a;
  }

  /**
   * Decodes COCO's compressed counts string (as in {@code {"counts": "...", "size": [h, w]}}).
   *
   * @throws IllegalArgumentException if the string is malformed or does not cover h*w pixels
   */
  public static RleMask fromCompressed(String s, int height, int width) {
    int[] counts = new int[s.length()];
    int m = 0;
    int p = 0;
    while (p < s.length()) {
      long x = 0;
      int k = 0;
      boolean more = true;
      while (more) {
        if (p >= s.length()) {
          throw new IllegalArgumentException(
              "compressed RLE ends inside a number at character " + p);
        }
        int c = s.charAt(p) - 48;
        if (c < 0 || c > 63) {
          throw new IllegalArgumentException(
              "compressed RLE has an illegal character '" + s.charAt(p) + "' at " + p);
        }
        x |= (long) (c & 0x1f) << (5 * k);
        more = (c & 0x20) != 0;
        p++;
        k++;
        if (!more && (c & 0x10) != 0) {
          x |= -1L << (5 * k);
        }
        if (k > 12) {
          throw new IllegalArgumentException("compressed RLE number too long at character " + p);
        }
      }
      if (m > 2) {
        x += counts[m - 2];
      }
      if (x < 0 || x > Integer.MAX_VALUE) {
        throw new IllegalArgumentException("compressed RLE decodes to a bad run length " + x);
      }
      counts[m++] = (int) x;
    }
    return new RleMask(height, width, Arrays.copyOf(counts, m));
  }

  /** COCO's compressed counts string. */
  public String toCompressed() {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < counts.length; i++) {
      long x = counts[i];
      if (i > 2) {
        x -= counts[i - 2];
      }
      boolean more = true;
      while (more) {
        int c = (int) (x & 0x1f);
        x >>= 5;
        more = (c & 0x10) != 0 ? x != -1 : x != 0;
        if (more) {
          c |= 0x20;
        }
        sb.append((char) (c + 48));
      }
    }
    return sb.toString();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RleMask r
        && r.height == height
        && r.width == width
        && Arrays.equals(r.counts, counts);
  }

  @Override
  public int hashCode() {
    return 31 * (31 * height + width) + Arrays.hashCode(counts);
  }

  @Override
  public String toString() {
    return "RleMask[" + height + "x" + width + ", runs=" + counts.length + ", area=" + area() + "]";
  }
}
