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
