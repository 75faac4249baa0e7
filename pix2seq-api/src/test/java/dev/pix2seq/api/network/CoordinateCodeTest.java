package dev.pix2seq.api.network;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class CoordinateCodeTest {

  @Test
  void wavelengthsRunFromTheShortestToTheLongest() {
    assertEquals(CoordinateCode.SHORTEST_WAVELENGTH, CoordinateCode.wavelength(0, 80), 1e-15);
    assertEquals(CoordinateCode.LONGEST_WAVELENGTH, CoordinateCode.wavelength(79, 80), 1e-12);
    for (int k = 1; k < 80; k++) {
      assertTrue(CoordinateCode.wavelength(k, 80) > CoordinateCode.wavelength(k - 1, 80));
    }
    assertThrows(IllegalArgumentException.class, () -> CoordinateCode.wavelength(80, 80));
  }

  @Test
  void lineIsSinCosPairsOfTheAmplitude() {
    float[] code = CoordinateCode.line(0.3, 8, 2.0);
    for (int k = 0; k < 4; k++) {
      double angle = 2 * Math.PI * 0.3 / CoordinateCode.wavelength(k, 4);
      assertEquals(2 * Math.sin(angle), code[2 * k], 1e-6);
      assertEquals(2 * Math.cos(angle), code[2 * k + 1], 1e-6);
    }
  }

  @Test
  void nearbyPositionsHaveMoreSimilarCodesThanDistantOnes() {
    float[] here = CoordinateCode.line(0.5, 160, 1);
    double previous = Double.POSITIVE_INFINITY;
    for (double d : new double[] {0.0, 0.01, 0.05, 0.2}) {
      double similarity = dot(here, CoordinateCode.line(0.5 + d, 160, 1));
      assertTrue(similarity < previous, "similarity at distance " + d + ": " + similarity);
      previous = similarity;
    }
  }

  @Test
  void gridCellsHoldEveryOtherPairOfTheirCentresLineCode() {
    int side = 8;
    int width = 160;
    float[] grid = CoordinateCode.grid(side, width);
    for (int row = 0; row < side; row++) {
      for (int col = 0; col < side; col++) {
        float[] y = CoordinateCode.line((row + 0.5) / side, width, 1);
        float[] x = CoordinateCode.line((col + 0.5) / side, width, 1);
        int base = (row * side + col) * width;
        for (int j = 0; j < width / 4; j++) {
          assertEquals(y[4 * j], grid[base + 2 * j], 0.0);
          assertEquals(y[4 * j + 1], grid[base + 2 * j + 1], 0.0);
          assertEquals(x[4 * j], grid[base + width / 2 + 2 * j], 0.0);
          assertEquals(x[4 * j + 1], grid[base + width / 2 + 2 * j + 1], 0.0);
        }
      }
    }
  }

  @Test
  void badWidthsAreRejected() {
    assertThrows(IllegalArgumentException.class, () -> CoordinateCode.line(0.5, 7, 1));
    assertThrows(IllegalArgumentException.class, () -> CoordinateCode.grid(8, 6));
    assertThrows(IllegalArgumentException.class, () -> CoordinateCode.grid(0, 8));
  }

  private static double dot(float[] a, float[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += a[i] * b[i];
    }
    return s;
  }
}
