package dev.pix2seq.api.value;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

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

  /**
   * The images of a channels-last batch ({@code [n][height][width][channels]}, row-major, as
   * NumPy and TensorFlow hold images), one channels-first tensor each.
   *
   * @throws IllegalArgumentException if {@code values} does not hold {@code n} such images
   */
  public static List<ImageTensor> fromChannelsLast(
      float[] values, int n, int height, int width, int channels) {
    int plane = height * width;
    if (n < 0 || (long) n * plane * channels != values.length) {
      throw new IllegalArgumentException("a batch of " + n + " images of " + height + " x "
          + width + " x " + channels + " needs " + ((long) n * plane * channels)
          + " values, found " + values.length);
    }
    List<ImageTensor> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      float[] chw = new float[channels * plane];
      int base = i * plane * channels;
      for (int p = 0; p < plane; p++) {
        for (int c = 0; c < channels; c++) {
          chw[c * plane + p] = values[base + p * channels + c];
        }
      }
      out.add(new ImageTensor(chw, channels, height, width));
    }
    return out;
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
