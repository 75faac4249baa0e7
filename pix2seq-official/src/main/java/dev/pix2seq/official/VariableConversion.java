package dev.pix2seq.official;

import java.util.ArrayList;
import java.util.List;

/**
 * How the official checkpoint's variables (Keras layouts) become one of our parameters ({@code
 * docs/checkpoint-format.md} section 3: PyTorch layouts) and back. Every conversion is a pure
 * re-ordering of values: no value is changed.
 */
public enum VariableConversion {
  /** The same shape and order: LayerNorm gains and offsets, biases, embeddings. */
  COPY,
  /** A Keras {@code Dense} kernel {@code [in, out]} to our {@code [out, in]}. */
  DENSE_KERNEL,
  /** A Keras {@code Conv2D} kernel {@code [kh, kw, in, out]} (HWIO) to our {@code [out, in, kh, kw]}. */
  CONV_KERNEL,
  /**
   * Keras {@code MultiHeadAttention} projection kernels {@code [in, heads, headWidth]} (one per
   * source: query, key, value) to our fused {@code [sources * heads * headWidth, in]}, the
   * sources' rows stacked in order.
   */
  HEAD_KERNELS,
  /** Projection biases {@code [heads, headWidth]} (one per source), concatenated. */
  HEAD_BIASES,
  /** The attention output kernel {@code [heads, headWidth, out]} to our {@code [out, heads * headWidth]}. */
  HEADS_TO_OUTPUT;

  /**
   * Our parameter from the official variables.
   *
   * @param sources the official values, each row-major in its official shape
   * @param shapes the official shapes, one per source
   */
  float[] toOurs(List<float[]> sources, List<int[]> shapes) {
    return switch (this) {
      case COPY -> sources.get(0);
      case DENSE_KERNEL -> transpose(sources.get(0), shapes.get(0)[0], shapes.get(0)[1]);
      case CONV_KERNEL -> hwioToOihw(sources.get(0), shapes.get(0));
      case HEAD_KERNELS -> {
        List<float[]> blocks = new ArrayList<>();
        for (int i = 0; i < sources.size(); i++) {
          int[] s = shapes.get(i);
          blocks.add(transpose(sources.get(i), s[0], s[1] * s[2]));
        }
        yield concat(blocks);
      }
      case HEAD_BIASES -> concat(sources);
      case HEADS_TO_OUTPUT -> {
        int[] s = shapes.get(0);
        yield transpose(sources.get(0), s[0] * s[1], s[2]);
      }
    };
  }

  /**
   * The official variables from our parameter: the inverse of {@link #toOurs}.
   *
   * @param ours our values
   * @param shapes the official shapes to produce, one per source
   */
  List<float[]> toOfficial(float[] ours, List<int[]> shapes) {
    return switch (this) {
      case COPY -> List.of(ours);
      case DENSE_KERNEL -> List.of(transpose(ours, shapes.get(0)[1], shapes.get(0)[0]));
      case CONV_KERNEL -> List.of(oihwToHwio(ours, shapes.get(0)));
      case HEAD_KERNELS -> {
        List<float[]> out = new ArrayList<>();
        int offset = 0;
        for (int[] s : shapes) {
          int rows = s[1] * s[2];
          int size = rows * s[0];
          float[] block = new float[size];
          System.arraycopy(ours, offset, block, 0, size);
          out.add(transpose(block, rows, s[0]));
          offset += size;
        }
        yield out;
      }
      case HEAD_BIASES -> {
        List<float[]> out = new ArrayList<>();
        int offset = 0;
        for (int[] s : shapes) {
          float[] block = new float[s[0] * s[1]];
          System.arraycopy(ours, offset, block, 0, block.length);
          out.add(block);
          offset += block.length;
        }
        yield out;
      }
      case HEADS_TO_OUTPUT -> {
        int[] s = shapes.get(0);
        yield List.of(transpose(ours, s[2], s[0] * s[1]));
      }
    };
  }

  /** A row-major {@code [rows, cols]} matrix transposed to {@code [cols, rows]}. */
  static float[] transpose(float[] m, int rows, int cols) {
    float[] out = new float[m.length];
    for (int r = 0; r < rows; r++) {
      int base = r * cols;
      for (int c = 0; c < cols; c++) {
        out[c * rows + r] = m[base + c];
      }
    }
    return out;
  }

  private static float[] hwioToOihw(float[] w, int[] hwio) {
    return reorderConv(w, hwio, true);
  }

  private static float[] oihwToHwio(float[] w, int[] hwio) {
    return reorderConv(w, hwio, false);
  }

  /** Moves each value between the HWIO and the OIHW position of the same kernel entry. */
  private static float[] reorderConv(float[] w, int[] hwio, boolean toOihw) {
    int kh = hwio[0];
    int kw = hwio[1];
    int in = hwio[2];
    int out = hwio[3];
    float[] result = new float[w.length];
    for (int h = 0; h < kh; h++) {
      for (int x = 0; x < kw; x++) {
        for (int i = 0; i < in; i++) {
          for (int o = 0; o < out; o++) {
            int hwioIndex = ((h * kw + x) * in + i) * out + o;
            int oihwIndex = ((o * in + i) * kh + h) * kw + x;
            if (toOihw) {
              result[oihwIndex] = w[hwioIndex];
            } else {
              result[hwioIndex] = w[oihwIndex];
            }
          }
        }
      }
    }
    return result;
  }

  private static float[] concat(List<float[]> parts) {
    int n = 0;
    for (float[] p : parts) {
      n += p.length;
    }
    float[] out = new float[n];
    int offset = 0;
    for (float[] p : parts) {
      System.arraycopy(p, 0, out, offset, p.length);
      offset += p.length;
    }
    return out;
  }
}
