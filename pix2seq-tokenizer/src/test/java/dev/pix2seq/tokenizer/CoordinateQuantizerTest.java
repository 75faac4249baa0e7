package dev.pix2seq.tokenizer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CoordinateQuantizerTest {

  @ParameterizedTest
  @ValueSource(ints = {2, 3, 100, 1000, 4096})
  void everyBinRoundTrips(int bins) {
    CoordinateQuantizer q = new CoordinateQuantizer(bins);
    for (int bin = 0; bin < bins; bin++) {
      double v = q.dequantize(bin);
      assertTrue(v >= 0 && v <= 1, "bin " + bin + " gives " + v);
      assertEquals(bin, q.quantize(v), "bin " + bin);
    }
    assertEquals(0.0, q.dequantize(0));
    assertEquals(1.0, q.dequantize(bins - 1));
  }

  @ParameterizedTest
  @ValueSource(ints = {2, 7, 1000})
  void errorIsAtMostHalfABin(int bins) {
    CoordinateQuantizer q = new CoordinateQuantizer(bins);
    Random r = new Random(7);
    double half = 0.5 / (bins - 1);
    for (int i = 0; i < 100_000; i++) {
      double v = r.nextDouble();
      double back = q.dequantize(q.quantize(v));
      assertTrue(Math.abs(back - v) <= half + 1e-12, v + " -> " + back);
    }
    assertEquals(1.0 / (bins - 1), q.binWidth(), 1e-15);
  }

  @Test
  void clipsOutOfRangeValues() {
    CoordinateQuantizer q = new CoordinateQuantizer(1000);
    assertEquals(0, q.quantize(-0.3));
    assertEquals(0, q.quantize(Double.NEGATIVE_INFINITY));
    assertEquals(999, q.quantize(1.7));
    assertEquals(999, q.quantize(Double.POSITIVE_INFINITY));
    assertEquals(250, q.quantize(0.25025));
  }

  @Test
  void nanMapsToBinZero() {
    assertEquals(0, new CoordinateQuantizer(1000).quantize(Double.NaN));
  }

  @Test
  void rejectsBadBinsAndBadBinIndices() {
    assertThrows(IllegalArgumentException.class, () -> new CoordinateQuantizer(1));
    CoordinateQuantizer q = new CoordinateQuantizer(10);
    assertThrows(IllegalArgumentException.class, () -> q.dequantize(-1));
    assertThrows(IllegalArgumentException.class, () -> q.dequantize(10));
  }
}
