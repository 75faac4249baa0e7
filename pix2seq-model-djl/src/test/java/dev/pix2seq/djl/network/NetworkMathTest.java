package dev.pix2seq.djl.network;

import dev.pix2seq.api.network.SinCosPositions;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The documented building blocks (docs/checkpoint-format.md) computed by the PyTorch ops. */
class NetworkMathTest {

  private static NDManager manager;

  @BeforeAll
  static void open() {
    manager = Engine.getEngine("PyTorch").newBaseManager();
  }

  @AfterAll
  static void close() {
    manager.close();
  }

  @Test
  void geluIsTheExactErfForm() {
    float[] x = {-3f, -1f, -0.5f, 0f, 0.5f, 1f, 2f};
    // 0.5 x (1 + erf(x / sqrt 2)) from high-precision tables of erf
    double[] expected = {-0.0040496, -0.15865525, -0.15426877, 0, 0.34573123, 0.84134475,
        1.95449974};
    float[] y = Ops.gelu(manager.create(x)).toFloatArray();
    for (int i = 0; i < x.length; i++) {
      assertEquals(expected[i], y[i], 1e-6, "gelu(" + x[i] + ")");
    }
  }

  @Test
  void layerNormNormalisesTheLastAxisOnly() {
    float[] values = {1, 2, 3, 4, 10, 20, 30, 40};
    NDArray x = manager.create(values, new Shape(2, 4));
    NDArray gain = manager.create(new float[] {1, 2, 1, 1});
    NDArray bias = manager.create(new float[] {0, 0, 0, 0.5f});
    float[] y = Ops.layerNorm(x, gain, bias, 1e-6).toFloatArray();
    for (int row = 0; row < 2; row++) {
      double mean = 0;
      double var = 0;
      for (int i = 0; i < 4; i++) {
        mean += values[row * 4 + i] / 4.0;
      }
      for (int i = 0; i < 4; i++) {
        var += Math.pow(values[row * 4 + i] - mean, 2) / 4;
      }
      double[] g = {1, 2, 1, 1};
      double[] b = {0, 0, 0, 0.5};
      for (int i = 0; i < 4; i++) {
        double expected = (values[row * 4 + i] - mean) / Math.sqrt(var + 1e-6) * g[i] + b[i];
        assertEquals(expected, y[row * 4 + i], 1e-5);
      }
    }
  }

  @Test
  void sinCosTableFollowsTheFormula() {
    float[] table = SinCosPositions.table(3, 8);
    int n = 2 * 3 + 1;
    double omega1 = Math.pow(10000, -0.5);
    assertEquals(Math.sin(2 * omega1), table[n * 8 + 1], 1e-7);
    assertEquals(Math.cos(2 * omega1), table[n * 8 + 2 + 1], 1e-7);
    assertEquals(Math.sin(1.0), table[n * 8 + 4], 1e-7);
    assertEquals(Math.cos(1 * omega1), table[n * 8 + 6 + 1], 1e-7);
  }

  @Test
  void patchProductEqualsTheStridedConvolution() {
    Random random = new Random(3);
    float[] image = new float[2 * 5 * 12 * 12];
    float[] weight = new float[7 * 5 * 4 * 4];
    float[] bias = new float[7];
    for (float[] a : new float[][] {image, weight, bias}) {
      for (int i = 0; i < a.length; i++) {
        a[i] = (float) random.nextGaussian();
      }
    }
    NDArray x = manager.create(image, new Shape(2, 5, 12, 12));
    NDArray w = manager.create(weight, new Shape(7, 5, 4, 4));
    NDArray b = manager.create(bias);
    NDArray tokens = Pix2seqNetwork.patchify(x, w, b, 4);
    NDArray conv = Ops.conv2d(x, w, b, 4, 0).reshape(2, 7, 9).transpose(0, 2, 1);
    float[] expected = conv.toFloatArray();
    float[] actual = tokens.toFloatArray();
    assertEquals(new Shape(2, 9, 7), tokens.getShape());
    for (int i = 0; i < expected.length; i++) {
      assertEquals(expected[i], actual[i], 1e-4);
    }
  }
}
