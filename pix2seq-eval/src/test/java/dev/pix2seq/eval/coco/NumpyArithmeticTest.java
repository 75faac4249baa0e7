package dev.pix2seq.eval.coco;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** numpy's pairwise summation, mean and linspace, value for value (numbers from numpy). */
class NumpyArithmeticTest {

  @ParameterizedTest(name = "n={0}")
  @CsvSource({
    "5, 0x1.2444444444444p+1, 0x1.d3a06d3a06d3ap-2",
    "8, 0x1.5be2be2be2be2p+1, 0x1.5be2be2be2be2p-2",
    "9, 0x1.6a1ba1ba1ba1bp+1, 0x1.41dfac33a6c8ap-2",
    "17, 0x1.b84341cecee4cp+1, 0x1.9e5d6b1cfef57p-3",
    "128, 0x1.5bb8ae9541ca7p+2, 0x1.5bb8ae9541ca7p-5",
    "129, 0x1.5c37b09149ba9p+2, 0x1.5984a742c4323p-5",
    "300, 0x1.92172a3e6965ap+2, 0x1.571e01ea2a26fp-6",
    "1000, 0x1.df11f45f4e61ap+2, 0x1.ea915c8a8db3dp-8"
  })
  void sumAndMeanOfHarmonicSeriesMatchNumpy(int n, String sumHex, String meanHex) {
    double[] a = new double[n + 3];
    for (int i = 0; i < n; i++) {
      a[i + 3] = 1.0 / (i + 1);
    }
    assertEquals(Double.parseDouble(sumHex), NumpyArithmetic.sum(a, 3, n), 0.0);
    double[] b = java.util.Arrays.copyOfRange(a, 3, n + 3);
    assertEquals(Double.parseDouble(meanHex), NumpyArithmetic.mean(b, n), 0.0);
  }

  @Test
  void pairwiseDiffersFromARunningSumWhereNumpyDoes() {
    double[] a = new double[300];
    double running = 0;
    for (int i = 0; i < a.length; i++) {
      a[i] = 1.0 / (i + 1);
      running += a[i];
    }
    assertNotEquals(running, NumpyArithmetic.sum(a, 0, a.length));
  }

  @Test
  void linspaceGivesNumpysValuesIncludingTheOnesOffByAnUlp() {
    double[] iou = NumpyArithmetic.linspace(.5, .95, 10);
    assertEquals(0.8999999999999999, iou[8], 0.0);
    assertEquals(0.95, iou[9], 0.0);
    double[] rec = NumpyArithmetic.linspace(0, 1, 101);
    assertEquals(0.7000000000000001, rec[70], 0.0);
    assertEquals(0.35000000000000003, rec[35], 0.0);
    assertEquals(0.01, rec[1], 0.0);
    assertEquals(1.0, rec[100], 0.0);
  }

  @Test
  void spacingOfOneIsMachineEpsilon() {
    assertEquals(2.220446049250313e-16, NumpyArithmetic.SPACING_ONE, 0.0);
  }
}
