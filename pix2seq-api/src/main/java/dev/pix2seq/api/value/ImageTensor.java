package dev.pix2seq.api.value;

import java.util.Arrays;

/**
 * An image as a dense float tensor in channel-first layout ({@code [channels][height][width]}),
 * values in [0, 1]. Equality compares the pixel values.
 *
 * @param pixels row-major CHW values; not copied, so treat it as read-only
 * @param channels number of channels (3 for RGB)
 * @param height height in pixels
 * @param width width in pixels
 */
public record ImageTensor(float[] pixels, int channels, int height, int width) {

  public ImageTensor {
    if (channels <= 0 || height <= 0 || width <= 0) {
      throw new IllegalArgumentException(
          "image dimensions must be positive, found channels=" + channels + " height=" + height
              + " width=" + width);
    }
    if (pixels == null || pixels.length != channels * height * width) {
      throw new IllegalArgumentException(
          "pixels must hold channels*height*width=" + (channels * height * width)
              + " values, found " + (pixels == null ? "null" : pixels.length));
    }
  }

  /** A zero-filled RGB tensor. */
  public static ImageTensor zeros(int height, int width) {
    return new ImageTensor(new float[3 * height * width], 3, height, width);
  }

  /** Value at channel {@code c}, row {@code y}, column {@code x}. */
  public float get(int c, int y, int x) {
    return pixels[(c * height + y) * width + x];
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ImageTensor t
        && t.channels == channels
        && t.height == height
        && t.width == width
        && Arrays.equals(t.pixels, pixels);
  }

  @Override
  public int hashCode() {
    return 31 * (31 * (31 * channels + height) + width) + Arrays.hashCode(pixels);
  }

  @Override
  public String toString() {
    return "ImageTensor[" + channels + "x" + height + "x" + width + "]";
  }
}
