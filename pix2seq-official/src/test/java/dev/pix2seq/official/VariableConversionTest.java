package dev.pix2seq.official;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Each conversion computes, with our layout, what Keras computes with the official one; and
 * writing back gives the official values exactly.
 */
class VariableConversionTest {

  private final Random random = new Random(7);

  @Test
  void denseKernelActsLikeKerasDense() {
    int in = 5;
    int out = 3;
    float[] kernel = values(in * out);
    float[] x = values(in);
    float[] ours = VariableConversion.DENSE_KERNEL.toOurs(List.of(kernel), shapes(new int[] {in, out}));
    for (int o = 0; o < out; o++) {
      double keras = 0;
      double linear = 0;
      for (int i = 0; i < in; i++) {
        keras += x[i] * kernel[i * out + o];
        linear += ours[o * in + i] * x[i];
      }
      assertEquals(keras, linear, 1e-6);
    }
  }

  @Test
  void convKernelActsLikeKerasConv2dOnOnePatch() {
    int k = 2;
    int in = 3;
    int out = 4;
    float[] hwio = values(k * k * in * out);
    float[] patchHwc = values(k * k * in);
    float[] ours = VariableConversion.CONV_KERNEL.toOurs(List.of(hwio),
        shapes(new int[] {k, k, in, out}));
    for (int o = 0; o < out; o++) {
      double keras = 0;
      double torch = 0;
      for (int h = 0; h < k; h++) {
        for (int w = 0; w < k; w++) {
          for (int i = 0; i < in; i++) {
            float pixel = patchHwc[(h * k + w) * in + i];
            keras += pixel * hwio[((h * k + w) * in + i) * out + o];
            torch += pixel * ours[((o * in + i) * k + h) * k + w];
          }
        }
      }
      assertEquals(keras, torch, 1e-6);
    }
  }

  @Test
  void headKernelsStackQueryKeyValueLikeKerasEinsumDense() {
    int d = 4;
    int heads = 2;
    int headWidth = 3;
    List<float[]> kernels = List.of(values(d * heads * headWidth), values(d * heads * headWidth),
        values(d * heads * headWidth));
    List<int[]> shapes = shapes(new int[] {d, heads, headWidth}, new int[] {d, heads, headWidth},
        new int[] {d, heads, headWidth});
    float[] ours = VariableConversion.HEAD_KERNELS.toOurs(kernels, shapes);
    float[] x = values(d);
    int width = heads * headWidth;
    for (int s = 0; s < 3; s++) {
      for (int h = 0; h < heads; h++) {
        for (int j = 0; j < headWidth; j++) {
          double keras = 0;
          double linear = 0;
          for (int i = 0; i < d; i++) {
            keras += x[i] * kernels.get(s)[(i * heads + h) * headWidth + j];
            linear += ours[(s * width + h * headWidth + j) * d + i] * x[i];
          }
          assertEquals(keras, linear, 1e-6, "source " + s + " head " + h + " unit " + j);
        }
      }
    }
  }

  @Test
  void outputKernelContractsHeadsLikeKerasEinsumDense() {
    int heads = 2;
    int headWidth = 3;
    int d = 5;
    float[] kernel = values(heads * headWidth * d);
    float[] attended = values(heads * headWidth);
    float[] ours = VariableConversion.HEADS_TO_OUTPUT.toOurs(List.of(kernel),
        shapes(new int[] {heads, headWidth, d}));
    for (int o = 0; o < d; o++) {
      double keras = 0;
      double linear = 0;
      for (int h = 0; h < heads; h++) {
        for (int j = 0; j < headWidth; j++) {
          keras += attended[h * headWidth + j] * kernel[(h * headWidth + j) * d + o];
          linear += ours[o * heads * headWidth + h * headWidth + j] * attended[h * headWidth + j];
        }
      }
      assertEquals(keras, linear, 1e-6);
    }
  }

  @Test
  void writingBackGivesTheOfficialValuesExactly() {
    List<int[]> qkv = shapes(new int[] {4, 2, 3}, new int[] {4, 2, 3});
    List<int[]> biases = shapes(new int[] {2, 3}, new int[] {2, 3});
    roundTrip(VariableConversion.COPY, shapes(new int[] {7}));
    roundTrip(VariableConversion.DENSE_KERNEL, shapes(new int[] {4, 6}));
    roundTrip(VariableConversion.CONV_KERNEL, shapes(new int[] {2, 2, 3, 5}));
    roundTrip(VariableConversion.HEAD_KERNELS, qkv);
    roundTrip(VariableConversion.HEAD_BIASES, biases);
    roundTrip(VariableConversion.HEADS_TO_OUTPUT, shapes(new int[] {2, 3, 6}));
  }

  private void roundTrip(VariableConversion conversion, List<int[]> shapes) {
    List<float[]> official = new ArrayList<>();
    for (int[] s : shapes) {
      int n = 1;
      for (int d : s) {
        n *= d;
      }
      official.add(values(n));
    }
    List<float[]> back = conversion.toOfficial(conversion.toOurs(official, shapes), shapes);
    for (int i = 0; i < official.size(); i++) {
      assertArrayEquals(official.get(i), back.get(i), conversion + " source " + i);
    }
  }

  private float[] values(int n) {
    float[] v = new float[n];
    for (int i = 0; i < n; i++) {
      v[i] = (float) random.nextGaussian();
    }
    return v;
  }

  private static List<int[]> shapes(int[]... shapes) {
    return List.of(shapes);
  }
}
