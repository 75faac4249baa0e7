package dev.pix2seq.tasks.segment;

import dev.pix2seq.api.value.RleMask;
import java.util.Arrays;

/**
 * A binary mask as a row-major pixel grid. Equality compares the pixels.
 *
 * @param height rows
 * @param width columns
 * @param pixels {@code pixels[y * width + x]}; not copied, treat as read-only
 */
public record RasterMask(int height, int width, boolean[] pixels) {

  public RasterMask {
    if (height < 0 || width < 0) {
      throw new IllegalArgumentException(
          "raster size must be non-negative, found " + height + "x" + width);
    }
    if (pixels == null || pixels.length != height * width) {
      throw new IllegalArgumentException(
          "raster needs height*width=" + (height * width) + " pixels, found "
              + (pixels == null ? "null" : pixels.length));
    }
  }

  /** Whether the pixel at row {@code y}, column {@code x} is set. */
  public boolean get(int y, int x) {
    return pixels[y * width + x];
  }

  /** Number of set pixels. */
  public int area() {
    int a = 0;
    for (boolean p : pixels) {
      if (p) {
        a++;
      }
    }
    return a;
  }

  /** The same mask in COCO run-length encoding (column-major runs, starting with 0s). */
  public RleMask toRle() {
    int[] counts = new int[height * width + 1];
    int runs = 0;
    boolean current = false;
    int length = 0;
    for (int x = 0; x < width; x++) {
      for (int y = 0; y < height; y++) {
        boolean p = pixels[y * width + x];
        if (p != current) {
          counts[runs++] = length;
          current = p;
          length = 0;
        }
        length++;
      }
    }
    counts[runs++] = length;
    return new RleMask(height, width, Arrays.copyOf(counts, runs));
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RasterMask m
        && m.height == height
        && m.width == width
        && Arrays.equals(m.pixels, pixels);
  }

  @Override
  public int hashCode() {
    return 31 * (31 * height + width) + Arrays.hashCode(pixels);
  }

  @Override
  public String toString() {
    return "RasterMask[" + height + "x" + width + ", area=" + area() + "]";
  }
}
