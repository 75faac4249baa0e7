package dev.pix2seq.data.augment;

import dev.pix2seq.api.value.ImageTensor;
import java.util.Arrays;

/** Pixel operations on channel-first float images, each returning a new tensor. */
final class ImageTensors {
  private ImageTensors() {}

  /**
   * Bilinear resampling to {@code newW x newH}: output pixel centre {@code u + 0.5} samples the
   * source at {@code (u + 0.5) * w / newW}, edges clamped.
   */
  static ImageTensor resize(ImageTensor t, int newW, int newH) {
    int w = t.width();
    int h = t.height();
    if (newW == w && newH == h) {
      return t;
    }
    int ch = t.channels();
    float[] src = t.pixels();
    float[] dst = new float[ch * newW * newH];
    int[] x0 = new int[newW];
    int[] x1 = new int[newW];
    float[] fx = new float[newW];
    sampling(w, newW, x0, x1, fx);
    int[] y0 = new int[newH];
    int[] y1 = new int[newH];
    float[] fy = new float[newH];
    sampling(h, newH, y0, y1, fy);
    for (int c = 0; c < ch; c++) {
      int sBase = c * w * h;
      int dBase = c * newW * newH;
      for (int v = 0; v < newH; v++) {
        int r0 = sBase + y0[v] * w;
        int r1 = sBase + y1[v] * w;
        float wy = fy[v];
        int d = dBase + v * newW;
        for (int u = 0; u < newW; u++) {
          float wx = fx[u];
          float top = src[r0 + x0[u]] * (1 - wx) + src[r0 + x1[u]] * wx;
          float bottom = src[r1 + x0[u]] * (1 - wx) + src[r1 + x1[u]] * wx;
          dst[d + u] = top * (1 - wy) + bottom * wy;
        }
      }
    }
    return new ImageTensor(dst, ch, newH, newW);
  }

  private static void sampling(int size, int newSize, int[] lo, int[] hi, float[] frac) {
    double ratio = (double) size / newSize;
    for (int u = 0; u < newSize; u++) {
      double s = (u + 0.5) * ratio - 0.5;
      s = Math.max(0, Math.min(size - 1, s));
      int i = (int) Math.floor(s);
      lo[u] = i;
      hi[u] = Math.min(i + 1, size - 1);
      frac[u] = (float) (s - i);
    }
  }

  /**
   * TensorFlow's antialiased bilinear resize to {@code newW x newH}: {@code tf.image.resize(...,
   * method='bilinear', antialias=True)}, which runs the {@code ScaleAndTranslate} kernel with a
   * triangle filter, reproduced operation for operation in float32 (so the result is bitwise
   * TensorFlow's on its CPU kernel). Per axis, with {@code scale = newSize / size}: output
   * {@code i} is centred at {@code c = (i + 0.5) / scale} in source pixels; the triangle has
   * half-width {@code k = max(1 / scale, 1)} (widened when shrinking, so every source pixel
   * contributes); source pixels {@code j} from {@code ceil(c - k - 0.5)} to {@code floor(c + k -
   * 0.5)}, clamped to the image, weigh {@code max(0, 1 - |j + 0.5 - c| / k)}, normalised to sum
   * 1 (pixels beyond the border are dropped, not replicated). Rows are resampled first, then
   * columns, each sum accumulated in source order. Enlarging is half-pixel-centre bilinear as
   * {@link #resize}; shrinking averages like PIL's bilinear.
   */
  static ImageTensor resizeAntialiased(ImageTensor t, int newW, int newH) {
    int w = t.width();
    int h = t.height();
    int ch = t.channels();
    TriangleSpans rows = TriangleSpans.of(h, newH);
    TriangleSpans cols = TriangleSpans.of(w, newW);
    float[] src = t.pixels();
    float[] mid = new float[ch * newH * w];
    for (int c = 0; c < ch; c++) {
      int sBase = c * w * h;
      int mBase = c * w * newH;
      for (int v = 0; v < newH; v++) {
        int m = mBase + v * w;
        float[] weights = rows.weights[v];
        for (int k = 0; k < weights.length; k++) {
          float wt = weights[k];
          int s = sBase + (rows.starts[v] + k) * w;
          for (int u = 0; u < w; u++) {
            mid[m + u] += wt * src[s + u];
          }
        }
      }
    }
    float[] dst = new float[ch * newH * newW];
    for (int row = 0; row < ch * newH; row++) {
      int m = row * w;
      int d = row * newW;
      for (int u = 0; u < newW; u++) {
        float[] weights = cols.weights[u];
        int s = m + cols.starts[u];
        float sum = 0f;
        for (int k = 0; k < weights.length; k++) {
          sum += weights[k] * mid[s + k];
        }
        dst[d + u] = sum;
      }
    }
    return new ImageTensor(dst, ch, newH, newW);
  }

  /**
   * Per output index of one axis: the first source index and the normalised triangle weights
   * ({@code ComputeSpansCore} of TensorFlow's {@code scale_and_translate_op.cc}, translation 0,
   * antialias on), in the same float32 operations.
   */
  private record TriangleSpans(int[] starts, float[][] weights) {
    static TriangleSpans of(int size, int newSize) {
      float scale = (float) newSize / (float) size;
      float invScale = (float) (1.0 / scale);
      float kernelScale = Math.max(invScale, 1f);
      float oneOverKernelScale = 1f / kernelScale;
      int[] starts = new int[newSize];
      float[][] weights = new float[newSize][];
      for (int x = 0; x < newSize; x++) {
        float sample = (x + 0.5f) * invScale;
        if (sample < 0 || sample > size) {
          weights[x] = new float[0];
          continue;
        }
        int start = clamp((int) Math.ceil(sample - kernelScale - 0.5f), size);
        int end = clamp((int) Math.floor(sample + kernelScale - 0.5f), size) + 1;
        float[] w = new float[end - start];
        float total = 0f;
        for (int j = start; j < end; j++) {
          float pos = Math.abs(((float) j + 0.5f - sample) * oneOverKernelScale);
          float weight = pos < 1f ? 1f - pos : 0f;
          w[j - start] = weight;
          total += weight;
        }
        if (Math.abs(total) >= 1000f * Float.MIN_NORMAL) {
          float inv = 1f / total;
          for (int k = 0; k < w.length; k++) {
            w[k] *= inv;
          }
        } else {
          Arrays.fill(w, 0f);
        }
        starts[x] = start;
        weights[x] = w;
      }
      return new TriangleSpans(starts, weights);
    }

    private static int clamp(int i, int size) {
      return Math.max(0, Math.min(size - 1, i));
    }
  }

  /**
   * The image padded at the bottom and right to {@code side x side} as the official Pix2seq
   * pipeline does it, {@code value + pad(x - value)} in float32: padding is {@code value} and each
   * image pixel becomes {@code (x - value) + value}, which can differ from {@code x} in the last
   * bit.
   */
  static ImageTensor padShifted(ImageTensor t, int side, float value) {
    int ch = t.channels();
    int w = t.width();
    int h = t.height();
    float[] src = t.pixels();
    float[] dst = new float[ch * side * side];
    Arrays.fill(dst, value);
    for (int c = 0; c < ch; c++) {
      for (int v = 0; v < h; v++) {
        int s = (c * h + v) * w;
        int d = (c * side + v) * side;
        for (int u = 0; u < w; u++) {
          dst[d + u] = (src[s + u] - value) + value;
        }
      }
    }
    return new ImageTensor(dst, ch, side, side);
  }

  /**
   * The window {@code [x0, x0 + w) x [y0, y0 + h)} of the image; window pixels outside the
   * image get {@code fill}.
   */
  static ImageTensor crop(ImageTensor t, int x0, int y0, int w, int h, float fill) {
    int ch = t.channels();
    int sw = t.width();
    int sh = t.height();
    float[] src = t.pixels();
    float[] dst = new float[ch * w * h];
    int ux0 = Math.max(0, -x0);
    int ux1 = Math.min(w, sw - x0);
    for (int c = 0; c < ch; c++) {
      int dBase = c * w * h;
      int sBase = c * sw * sh;
      for (int v = 0; v < h; v++) {
        int d = dBase + v * w;
        int sy = y0 + v;
        if (sy < 0 || sy >= sh || ux0 >= ux1) {
          Arrays.fill(dst, d, d + w, fill);
          continue;
        }
        if (ux0 > 0) {
          Arrays.fill(dst, d, d + ux0, fill);
        }
        System.arraycopy(src, sBase + sy * sw + x0 + ux0, dst, d + ux0, ux1 - ux0);
        if (ux1 < w) {
          Arrays.fill(dst, d + ux1, d + w, fill);
        }
      }
    }
    return new ImageTensor(dst, ch, h, w);
  }

  /** The mirror image: column {@code i} becomes column {@code w - 1 - i}. */
  static ImageTensor flipHorizontal(ImageTensor t) {
    int ch = t.channels();
    int w = t.width();
    int h = t.height();
    float[] src = t.pixels();
    float[] dst = new float[src.length];
    for (int row = 0; row < ch * h; row++) {
      int base = row * w;
      for (int u = 0; u < w; u++) {
        dst[base + u] = src[base + w - 1 - u];
      }
    }
    return new ImageTensor(dst, ch, h, w);
  }
}
