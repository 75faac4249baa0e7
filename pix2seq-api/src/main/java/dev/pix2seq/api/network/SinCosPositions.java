package dev.pix2seq.api.network;

/**
 * Fixed 2D sin-cos position tables of a {@code side x side} token grid. With {@code q = width / 4}
 * and {@code omega_k = 10000^(-k / q)} for {@code k = 0..q-1}, token {@code n = row * side + col}
 * gets {@code [sin(r * omega), cos(r * omega), sin(c * omega), cos(c * omega)]} (four blocks of
 * {@code q} values), where {@code (r, c)} is the grid cell: its indices in {@link #table}, or
 * its indices scaled to {@code [0, 2 pi]} in {@link #official}.
 */
public final class SinCosPositions {

  private SinCosPositions() {}

  /**
   * The table with {@code (r, c) = (row, col)}, as row-major {@code [side * side, width]} values
   * computed in double precision and rounded to float.
   */
  public static float[] table(int side, int width) {
    if (width % 4 != 0) {
      throw new IllegalArgumentException("sin-cos width must be a multiple of 4, found " + width);
    }
    int q = width / 4;
    float[] out = new float[side * side * width];
    for (int row = 0; row < side; row++) {
      for (int col = 0; col < side; col++) {
        int base = (row * side + col) * width;
        for (int k = 0; k < q; k++) {
          double omega = Math.pow(10000.0, -(double) k / q);
          out[base + k] = (float) Math.sin(row * omega);
          out[base + q + k] = (float) Math.cos(row * omega);
          out[base + 2 * q + k] = (float) Math.sin(col * omega);
          out[base + 3 * q + k] = (float) Math.cos(col * omega);
        }
      }
    }
    return out;
  }

  /** {@code 2 pi} as the official Pix2seq code writes it (a float32 literal). */
  private static final float OFFICIAL_TWO_PI = 6.2831852f;

  /**
   * The official Pix2seq table ({@code get_2d_position_codes} with its default normalisation):
   * {@code r = row / (side - 1) * 2 pi} and {@code c = col / (side - 1) * 2 pi}, evaluated in the
   * float32 steps of the official code (scaled coordinate, frequency and angle each rounded to
   * float) so that the table matches it to the last bit or two.
   *
   * @throws IllegalArgumentException if {@code width} is not a multiple of 4 or {@code side < 2}
   */
  public static float[] official(int side, int width) {
    if (width % 4 != 0) {
      throw new IllegalArgumentException("sin-cos width must be a multiple of 4, found " + width);
    }
    if (side < 2) {
      throw new IllegalArgumentException(
          "the official position table needs a grid of at least 2 x 2, found " + side);
    }
    int q = width / 4;
    int half = width / 2;
    float[] scaled = new float[side];
    for (int i = 0; i < side; i++) {
      scaled[i] = (float) i / (float) (side - 1) * OFFICIAL_TWO_PI;
    }
    float[] omega = new float[q];
    for (int k = 0; k < q; k++) {
      float exponent = (float) (2 * k) / (float) half;
      omega[k] = 1f / (float) Math.pow(10000f, exponent);
    }
    float[] out = new float[side * side * width];
    for (int row = 0; row < side; row++) {
      for (int col = 0; col < side; col++) {
        int base = (row * side + col) * width;
        for (int k = 0; k < q; k++) {
          float rowAngle = scaled[row] * omega[k];
          float colAngle = scaled[col] * omega[k];
          out[base + k] = (float) Math.sin(rowAngle);
          out[base + q + k] = (float) Math.cos(rowAngle);
          out[base + 2 * q + k] = (float) Math.sin(colAngle);
          out[base + 3 * q + k] = (float) Math.cos(colAngle);
        }
      }
    }
    return out;
  }
}
