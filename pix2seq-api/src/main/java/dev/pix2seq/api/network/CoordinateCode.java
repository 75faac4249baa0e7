package dev.pix2seq.api.network;

/**
 * One sin-cos code for image positions, shared by the coordinate tokens and the decoder's memory,
 * so that "the box corner I just wrote" and "the image tokens there" are related by a linear map
 * the cross-attention can learn at once (instead of a nonlinear one it has to approximate).
 *
 * <p>A position {@code t} in [0, 1] (a fraction of the image side) gets {@code pairs} sin-cos
 * pairs, pair {@code k} at wavelength {@code SHORTEST * (LONGEST / SHORTEST)^(k / (pairs - 1))}
 * in units of the image side: {@code [sin(2 pi t / lambda_0), cos(2 pi t / lambda_0), sin(...
 * lambda_1), ...]}. A coordinate token's code ({@link #line}) uses {@code width / 2} pairs. The
 * memory token at grid cell {@code (row, col)} of a {@code side x side} grid ({@link #grid}) is
 * the cell centre's {@code y = (row + 0.5) / side} coded with every other wavelength of the same
 * ladder ({@code width / 4} pairs: wavelengths 0, 2, 4, ...) followed by {@code x} coded alike,
 * so a projection that keeps every other pair of a coordinate's code yields the memory code of
 * its row (or column). Values are computed in double precision and rounded to float.
 */
public final class CoordinateCode {

  /** Shortest wavelength, as a fraction of the image side (4 pixels at 128). */
  public static final double SHORTEST_WAVELENGTH = 1.0 / 32;
  /** Longest wavelength, in image sides. */
  public static final double LONGEST_WAVELENGTH = 4;

  private CoordinateCode() {}

  /**
   * The wavelength of pair {@code k} of a {@code pairs}-pair code, in image sides.
   *
   * @throws IllegalArgumentException unless {@code 0 <= k < pairs}
   */
  public static double wavelength(int k, int pairs) {
    if (k < 0 || k >= pairs) {
      throw new IllegalArgumentException("pair " + k + " outside [0, " + pairs + ")");
    }
    double fraction = pairs == 1 ? 0 : k / (double) (pairs - 1);
    return SHORTEST_WAVELENGTH * Math.pow(LONGEST_WAVELENGTH / SHORTEST_WAVELENGTH, fraction);
  }

  /**
   * The code of position {@code t} (a fraction of the image side) with {@code width / 2} pairs,
   * each value times {@code amplitude}.
   *
   * @throws IllegalArgumentException if {@code width} is odd or less than 2
   */
  public static float[] line(double t, int width, double amplitude) {
    if (width < 2 || width % 2 != 0) {
      throw new IllegalArgumentException("width must be even and >= 2, found " + width);
    }
    int pairs = width / 2;
    float[] out = new float[width];
    for (int k = 0; k < pairs; k++) {
      double angle = 2 * Math.PI * t / wavelength(k, pairs);
      out[2 * k] = (float) (amplitude * Math.sin(angle));
      out[2 * k + 1] = (float) (amplitude * Math.cos(angle));
    }
    return out;
  }

  /**
   * The memory's position table: row-major {@code [side * side, width]}, token {@code row * side
   * + col} holding the code of its cell centre's {@code y}, then of its {@code x}, each with
   * every other wavelength of a {@code width / 2}-pair ladder.
   *
   * @throws IllegalArgumentException if {@code width} is not a positive multiple of 4
   */
  public static float[] grid(int side, int width) {
    if (width < 4 || width % 4 != 0) {
      throw new IllegalArgumentException("width must be a multiple of 4, found " + width);
    }
    if (side < 1) {
      throw new IllegalArgumentException("side must be >= 1, found " + side);
    }
    int ladder = width / 2;
    int pairs = width / 4;
    float[] out = new float[side * side * width];
    for (int row = 0; row < side; row++) {
      for (int col = 0; col < side; col++) {
        int base = (row * side + col) * width;
        double y = (row + 0.5) / side;
        double x = (col + 0.5) / side;
        for (int j = 0; j < pairs; j++) {
          double lambda = wavelength(2 * j, ladder);
          out[base + 2 * j] = (float) Math.sin(2 * Math.PI * y / lambda);
          out[base + 2 * j + 1] = (float) Math.cos(2 * Math.PI * y / lambda);
          out[base + width / 2 + 2 * j] = (float) Math.sin(2 * Math.PI * x / lambda);
          out[base + width / 2 + 2 * j + 1] = (float) Math.cos(2 * Math.PI * x / lambda);
        }
      }
    }
    return out;
  }
}
