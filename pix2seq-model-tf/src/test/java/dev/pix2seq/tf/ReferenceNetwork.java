package dev.pix2seq.tf;

import dev.pix2seq.api.checkpoint.NamedTensor;
import dev.pix2seq.api.config.ModelConfig;
import dev.pix2seq.api.value.ImageTensor;
import java.util.Map;

/**
 * The network of {@code docs/checkpoint-format.md} section 4 written out in plain Java over
 * doubles, one image and one token row at a time, straight from the document (explicit loops,
 * no TensorFlow): the independent reference the TensorFlow graph is checked against.
 */
final class ReferenceNetwork {

  private final ModelConfig config;
  private final Map<String, NamedTensor> weights;
  private final int vocab;

  ReferenceNetwork(ModelConfig config, int vocab, Map<String, NamedTensor> weights) {
    this.config = config;
    this.vocab = vocab;
    this.weights = weights;
  }

  /** Logits {@code [n][vocab]} of token row {@code tokens} over {@code image}. */
  double[][] logits(ImageTensor image, int[] tokens) {
    double[][] memory = memory(image);
    int wd = config.decoderWidth();
    int n = tokens.length;
    double[][] e = matrix("decoder.token_embedding");
    double[][] pos = matrix("decoder.position_embedding");
    double[][] h = new double[n][wd];
    for (int t = 0; t < n; t++) {
      for (int j = 0; j < wd; j++) {
        h[t][j] = e[tokens[t]][j] + pos[t][j];
      }
    }
    for (int l = 0; l < config.decoderLayers(); l++) {
      String p = "decoder.layers." + l + ".";
      double[][] y = layerNorm(h, p + "self_attention_norm");
      double[][] qkv = linear(y, p + "self_attention.qkv");
      double[][] q = columns(qkv, 0, wd);
      double[][] k = columns(qkv, wd, wd);
      double[][] v = columns(qkv, 2 * wd, wd);
      add(h, linear(attend(q, k, v, config.decoderHeads(), true), p + "self_attention.output"));
      y = layerNorm(h, p + "cross_attention_norm");
      q = linear(y, p + "cross_attention.query");
      double[][] kv = linear(memory, p + "cross_attention.key_value");
      add(h, linear(attend(q, columns(kv, 0, wd), columns(kv, wd, wd), config.decoderHeads(),
          false), p + "cross_attention.output"));
      add(h, mlp(h, p + "mlp_norm", p + "mlp"));
    }
    double[][] normed = layerNorm(h, "decoder.norm");
    double[] bias = vector("decoder.output_bias");
    double[][] out = new double[n][vocab];
    for (int t = 0; t < n; t++) {
      for (int c = 0; c < vocab; c++) {
        double s = bias[c];
        for (int j = 0; j < wd; j++) {
          s += normed[t][j] * e[c][j];
        }
        out[t][c] = s;
      }
    }
    return out;
  }

  /** Encoder and bridge: the decoder memory {@code [N][decoderWidth]} of one image. */
  double[][] memory(ImageTensor image) {
    int s = config.imageSize();
    double[][][] x = new double[3][s][s];
    for (int c = 0; c < 3; c++) {
      for (int i = 0; i < s; i++) {
        for (int j = 0; j < s; j++) {
          x[c][i][j] = image.get(c, i, j);
        }
      }
    }
    int patch = config.patchSize();
    if (config.convStem()) {
      int stages = 0;
      while (patch % (1 << (stages + 1)) == 0 && (1 << (stages + 2)) <= patch) {
        stages++;
      }
      for (int i = 0; i < stages; i++) {
        x = conv(x, "encoder.stem." + i, 2, 1);
        for (double[][] plane : x) {
          for (double[] row : plane) {
            for (int j = 0; j < row.length; j++) {
              row[j] = gelu(row[j]);
            }
          }
        }
      }
      patch >>= stages;
    }
    x = conv(x, "encoder.patch", patch, 0);
    int we = config.encoderWidth();
    int side = x[0].length;
    int tokens = side * side;
    double[][] h = new double[tokens][we];
    for (int r = 0; r < side; r++) {
      for (int c = 0; c < side; c++) {
        for (int j = 0; j < we; j++) {
          h[r * side + c][j] = x[j][r][c];
        }
      }
    }
    h = layerNorm(h, "encoder.patch_norm");
    add(h, positions(side, we));
    centre(h);
    for (int l = 0; l < config.encoderLayers(); l++) {
      String p = "encoder.layers." + l + ".";
      double[][] qkv = linear(layerNorm(h, p + "attention_norm"), p + "attention.qkv");
      add(h, linear(attend(columns(qkv, 0, we), columns(qkv, we, we), columns(qkv, 2 * we, we),
          config.encoderHeads(), false), p + "attention.output"));
      add(h, mlp(h, p + "mlp_norm", p + "mlp"));
      centre(h);
    }
    h = layerNorm(h, "encoder.norm");
    double[][] m = layerNorm(linear(h, "bridge.projection"), "bridge.norm");
    add(m, memoryPositions(side, config.decoderWidth()));
    add(m, mlp(m, "bridge.mlp_norm", "bridge.mlp"));
    centre(m);
    return m;
  }

  /** Subtracts the mean over the tokens (rows) from every token, per channel (section 4.3). */
  private static void centre(double[][] x) {
    int width = x[0].length;
    for (int j = 0; j < width; j++) {
      double mean = 0;
      for (double[] row : x) {
        mean += row[j];
      }
      mean /= x.length;
      for (double[] row : x) {
        row[j] -= mean;
      }
    }
  }

  /** The 2D sin-cos table, from the formula of section 4.2. */
  static double[][] positions(int side, int width) {
    int q = width / 4;
    double[][] out = new double[side * side][width];
    for (int r = 0; r < side; r++) {
      for (int c = 0; c < side; c++) {
        for (int j = 0; j < q; j++) {
          double omega = 1 / Math.pow(10000, (double) j / q);
          double[] row = out[r * side + c];
          row[j] = (float) Math.sin(r * omega);
          row[q + j] = (float) Math.cos(r * omega);
          row[2 * q + j] = (float) Math.sin(c * omega);
          row[3 * q + j] = (float) Math.cos(c * omega);
        }
      }
    }
    return out;
  }

  /**
   * The memory's position table, from the formula of section 4.3: cell centres {@code (r + 0.5)
   * / side} coded at wavelengths {@code (1/32) * 128^(2j / (width/2 - 1))} image sides.
   */
  static double[][] memoryPositions(int side, int width) {
    int q = width / 4;
    double[][] out = new double[side * side][width];
    for (int r = 0; r < side; r++) {
      for (int c = 0; c < side; c++) {
        double[] row = out[r * side + c];
        for (int j = 0; j < q; j++) {
          double lambda = Math.pow(128, 2.0 * j / (width / 2 - 1)) / 32;
          double y = 2 * Math.PI * (r + 0.5) / side / lambda;
          double x = 2 * Math.PI * (c + 0.5) / side / lambda;
          row[2 * j] = (float) Math.sin(y);
          row[2 * j + 1] = (float) Math.cos(y);
          row[2 * q + 2 * j] = (float) Math.sin(x);
          row[2 * q + 2 * j + 1] = (float) Math.cos(x);
        }
      }
    }
    return out;
  }

  /** Cross-correlation with OIHW weights, square kernel, stride, symmetric zero padding. */
  private double[][][] conv(double[][][] x, String prefix, int stride, int pad) {
    NamedTensor w = weights.get(prefix + ".weight");
    double[] bias = vector(prefix + ".bias");
    int out = w.shape()[0];
    int in = w.shape()[1];
    int k = w.shape()[2];
    int size = x[0].length;
    int outSize = (size + 2 * pad - k) / stride + 1;
    double[][][] y = new double[out][outSize][outSize];
    for (int o = 0; o < out; o++) {
      for (int i = 0; i < outSize; i++) {
        for (int j = 0; j < outSize; j++) {
          double s = bias[o];
          for (int c = 0; c < in; c++) {
            for (int dy = 0; dy < k; dy++) {
              for (int dx = 0; dx < k; dx++) {
                int yy = i * stride + dy - pad;
                int xx = j * stride + dx - pad;
                if (yy >= 0 && yy < size && xx >= 0 && xx < size) {
                  s += w.data()[((o * in + c) * k + dy) * k + dx] * x[c][yy][xx];
                }
              }
            }
          }
          y[o][i][j] = s;
        }
      }
    }
    return y;
  }

  private double[][] attend(double[][] q, double[][] k, double[][] v, int heads, boolean causal) {
    int n = q.length;
    int t = k.length;
    int width = q[0].length;
    int d = width / heads;
    double scale = 1 / Math.sqrt(d);
    double[][] out = new double[n][width];
    for (int h = 0; h < heads; h++) {
      for (int i = 0; i < n; i++) {
        double[] scores = new double[t];
        double max = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < t; j++) {
          if (causal && j > i) {
            scores[j] = Double.NEGATIVE_INFINITY;
            continue;
          }
          double s = 0;
          for (int c = 0; c < d; c++) {
            s += q[i][h * d + c] * scale * k[j][h * d + c];
          }
          scores[j] = s;
          max = Math.max(max, s);
        }
        double sum = 0;
        for (int j = 0; j < t; j++) {
          scores[j] = Math.exp(scores[j] - max);
          sum += scores[j];
        }
        for (int j = 0; j < t; j++) {
          for (int c = 0; c < d; c++) {
            out[i][h * d + c] += scores[j] / sum * v[j][h * d + c];
          }
        }
      }
    }
    return out;
  }

  private double[][] mlp(double[][] x, String norm, String prefix) {
    double[][] y = linear(layerNorm(x, norm), prefix + ".fc1");
    for (double[] row : y) {
      for (int j = 0; j < row.length; j++) {
        row[j] = gelu(row[j]);
      }
    }
    return linear(y, prefix + ".fc2");
  }

  private double[][] linear(double[][] x, String prefix) {
    double[][] w = matrix(prefix + ".weight");
    double[] b = vector(prefix + ".bias");
    double[][] out = new double[x.length][w.length];
    for (int r = 0; r < x.length; r++) {
      for (int o = 0; o < w.length; o++) {
        double s = b[o];
        for (int i = 0; i < w[o].length; i++) {
          s += x[r][i] * w[o][i];
        }
        out[r][o] = s;
      }
    }
    return out;
  }

  private double[][] layerNorm(double[][] x, String prefix) {
    double[] g = vector(prefix + ".weight");
    double[] b = vector(prefix + ".bias");
    double[][] out = new double[x.length][];
    for (int r = 0; r < x.length; r++) {
      int w = x[r].length;
      double mean = 0;
      for (double v : x[r]) {
        mean += v / w;
      }
      double var = 0;
      for (double v : x[r]) {
        var += (v - mean) * (v - mean) / w;
      }
      out[r] = new double[w];
      for (int j = 0; j < w; j++) {
        out[r][j] = (x[r][j] - mean) / Math.sqrt(var + config.layerNormEpsilon()) * g[j] + b[j];
      }
    }
    return out;
  }

  static double gelu(double x) {
    return 0.5 * x * (1 + erf(x / Math.sqrt(2)));
  }

  /** The error function to about 1e-14: Taylor series near 0, continued fraction beyond. */
  static double erf(double x) {
    double a = Math.abs(x);
    double result;
    if (a < 3) {
      double term = a;
      double sum = a;
      for (int n = 1; n < 100 && Math.abs(term) > 1e-17; n++) {
        term *= -a * a / n;
        sum += term / (2 * n + 1);
      }
      result = 2 / Math.sqrt(Math.PI) * sum;
    } else {
      double f = a;
      for (int n = 60; n >= 1; n--) {
        f = a + (n / 2.0) / f;
      }
      result = 1 - Math.exp(-a * a) / Math.sqrt(Math.PI) / f;
    }
    return x < 0 ? -result : result;
  }

  private static void add(double[][] x, double[][] y) {
    for (int r = 0; r < x.length; r++) {
      for (int j = 0; j < x[r].length; j++) {
        x[r][j] += y[r][j];
      }
    }
  }

  private static double[][] columns(double[][] x, int from, int count) {
    double[][] out = new double[x.length][count];
    for (int r = 0; r < x.length; r++) {
      System.arraycopy(x[r], from, out[r], 0, count);
    }
    return out;
  }

  private double[][] matrix(String name) {
    NamedTensor t = weights.get(name);
    int rows = t.shape()[0];
    int cols = t.shape()[1];
    double[][] out = new double[rows][cols];
    for (int r = 0; r < rows; r++) {
      for (int c = 0; c < cols; c++) {
        out[r][c] = t.data()[r * cols + c];
      }
    }
    return out;
  }

  private double[] vector(String name) {
    float[] data = weights.get(name).data();
    double[] out = new double[data.length];
    for (int i = 0; i < data.length; i++) {
      out[i] = data[i];
    }
    return out;
  }
}
