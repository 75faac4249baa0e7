package dev.pix2seq.api.network;

/**
 * The fixed 2D sin-cos position table of a {@code side x side} token grid. With {@code q =
 * width / 4} and {@code omega_k = 10000^(-k / q)} for {@code k = 0..q-1}, token {@code n = row *
 * side + col} gets {@code [sin(row * omega), cos(row * omega), sin(col * omega), cos(col *
 * omega)]} (four blocks of {@code q} values), computed in double precision and rounded to float.
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
}
