package dev.pix2seq.tf.network;

/**
 * The fixed 2D sin-cos position table of a {@code side x side} token grid ({@code
 * docs/checkpoint-format.md} section 4.2). With {@code q = width / 4} and {@code omega_j =
 * 10000^(-j / q)}, token {@code n = row * side + col} gets {@code [sin(row * omega), cos(row *
 * omega), sin(col * omega), cos(col * omega)]}, computed in double precision, rounded to float.
 */
public final class SinCosPositions {

  private SinCosPositions() {}

  /** The table as row-major {@code [side * side, width]} values. */
  public static float[] table(int side, int width) {
    if (width % 4 != 0) {
      throw new IllegalArgumentException("sin-cos width must be a multiple of 4, found " + width);
    }
    int q = width / 4;
    float[] out = new float[side * side * width];
    for (int row = 0; row < side; row++) {
      for (int col = 0; col < side; col++) {
        int base = (row * side + col) * width;
        for (int j = 0; j < q; j++) {
          double omega = Math.pow(10000.0, -(double) j / q);
          out[base + j] = (float) Math.sin(row * omega);
          out[base + q + j] = (float) Math.cos(row * omega);
          out[base + 2 * q + j] = (float) Math.sin(col * omega);
          out[base + 3 * q + j] = (float) Math.cos(col * omega);
        }
      }
    }
    return out;
  }
}
