package dev.pix2seq.tf.network;

import dev.pix2seq.api.network.ParameterLayout;
import dev.pix2seq.api.network.ConvStem;
import dev.pix2seq.api.network.FixedPositions;
import dev.pix2seq.api.config.ModelConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Unstack;
import org.tensorflow.op.linalg.MatMul;
import org.tensorflow.op.math.Mean;
import org.tensorflow.op.train.BatchMatMul;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * The Pix2seq network as TensorFlow graph operations over the parameters' current values,
 * exactly the math of {@code docs/checkpoint-format.md} section 4. Hidden states are kept as
 * matrices {@code [rows * tokens, width]}, so every linear layer is one {@code MatMul} (weights
 * stay in the checkpoint's {@code [out, in]} layout, multiplied transposed) plus a {@code
 * BiasAdd}; attention reshapes to {@code [rows, heads, tokens, headWidth]}. Images arrive NCHW as
 * in the checkpoint format and are transposed to NHWC for {@code Conv2D}, whose OIHW filters are
 * transposed to HWIO in the graph; stem convolutions pad one pixel on every side explicitly.
 *
 * <p>Building adds operations to the graph of {@code tf}; nothing runs here. Not thread-safe
 * (graph construction).
 */
public final class NetworkGraph {

  /**
   * One attention layer's keys and values split into heads, each {@code [rows, heads, length,
   * headWidth]}.
   */
  public record KeyValue(Operand<TFloat32> keys, Operand<TFloat32> values) {}

  /**
   * The decoder's output.
   *
   * @param hidden final hidden states {@code [rows * length, decoderWidth]} (before the norm)
   * @param selfKeysValues each layer's self-attention keys and values over every position so far
   *     (cached positions followed by the new ones)
   * @param length the number of new positions per row (a scalar)
   */
  public record Decoded(
      Operand<TFloat32> hidden, List<KeyValue> selfKeysValues, Operand<TInt32> length) {}

  private final Ops tf;
  private final ModelConfig config;
  private final ParameterLayout layout;
  private final Function<String, Operand<TFloat32>> weights;
  private final int imageTokens;
  private final Operand<TFloat32> encoderPositions;
  private final Operand<TFloat32> bridgePositions;
  private final Operand<TFloat32> epsilon;
  private final Operand<TFloat32> half;
  private final Operand<TFloat32> one;
  private final Operand<TFloat32> inverseSqrt2;
  private final Operand<TFloat32> minusInfinity;
  private final Operand<TFloat32> zero;

  /**
   * A builder over parameter values given by {@code weights} (name to a float operand of the
   * parameter's shape, e.g. a variable read); constants are created once in {@code tf}'s graph.
   */
  public NetworkGraph(
      Ops tf, ParameterLayout layout, Function<String, Operand<TFloat32>> weights) {
    this.tf = tf;
    this.layout = layout;
    this.config = layout.config();
    this.weights = weights;
    int side = config.imageSize() / config.patchSize();
    this.imageTokens = side * side;
    this.encoderPositions =
        table(FixedPositions.encoder(config), imageTokens, config.encoderWidth());
    this.bridgePositions =
        table(FixedPositions.memory(config), imageTokens, config.decoderWidth());
    this.epsilon = tf.constant((float) config.layerNormEpsilon());
    this.half = tf.constant(0.5f);
    this.one = tf.constant(1f);
    this.inverseSqrt2 = tf.constant((float) (1 / Math.sqrt(2)));
    this.minusInfinity = tf.constant(Float.NEGATIVE_INFINITY);
    this.zero = tf.constant(0f);
  }

  public ParameterLayout layout() {
    return layout;
  }

  /**
   * Encoder and bridge: images {@code [B, 3, S, S]} (NCHW, values in [0, 1]) to the decoder's
   * memory {@code [B, N, decoderWidth]}.
   */
  public Operand<TFloat32> encode(Operand<TFloat32> images, ResidualNoise noise) {
    int we = config.encoderWidth();
    int wd = config.decoderWidth();
    Operand<TFloat32> x = tf.linalg.transpose(images, tf.constant(new int[] {0, 2, 3, 1}));
    ConvStem stem = layout.stem();
    for (int i = 0; i < stem.stages(); i++) {
      String p = ParameterLayout.stemConv(i);
      Operand<TFloat32> padded = tf.pad(
          x, tf.constant(new int[][] {{0, 0}, {1, 1}, {1, 1}, {0, 0}}), zero);
      x = gelu(conv(padded, p, 2));
    }
    x = layerNorm(conv(x, "encoder.patch", stem.patchKernel()), ParameterLayout.PATCH_NORM);
    x = centreTokens(tf.math.add(tf.reshape(x, tf.constant(new int[] {-1, imageTokens, we})),
        encoderPositions));
    x = tf.reshape(x, tf.constant(new int[] {-1, we}));
    int heads = config.encoderHeads();
    Operand<TInt32> splitShape = tf.constant(new int[] {-1, imageTokens, 3, heads, we / heads});
    ResidualSite encoderSite = new ResidualSite(true, we);
    for (int l = 0; l < config.encoderLayers(); l++) {
      String p = ParameterLayout.encoderLayer(l);
      List<Operand<TFloat32>> qkv =
          splitHeads(linear(layerNorm(x, p + "attention_norm"), p + "attention.qkv"),
              splitShape, 3);
      Operand<TFloat32> attended = attend(qkv.get(0), qkv.get(1), qkv.get(2), null, we, heads);
      x = tf.math.add(x, noise.apply(linear(attended, p + "attention.output"), encoderSite));
      x = tf.math.add(x, noise.apply(mlp(x, p + "mlp_norm", p + "mlp"), encoderSite));
      x = tf.reshape(centreTokens(tf.reshape(x, tf.constant(new int[] {-1, imageTokens, we}))),
          tf.constant(new int[] {-1, we}));
    }
    x = layerNorm(x, "encoder.norm");
    Operand<TFloat32> m = linear(x, "bridge.projection");
    m = tf.math.add(tf.reshape(layerNorm(m, "bridge.norm"),
        tf.constant(new int[] {-1, imageTokens, wd})), bridgePositions);
    m = tf.reshape(m, tf.constant(new int[] {-1, wd}));
    m = tf.math.add(m, noise.apply(mlp(m, "bridge.mlp_norm", "bridge.mlp"),
        new ResidualSite(true, wd)));
    return centreTokens(tf.reshape(m, tf.constant(new int[] {-1, imageTokens, wd})));
  }

  /**
   * {@code [B, N, D]} less its mean over the {@code N} tokens of each image, when the network
   * variant centres tokens; otherwise {@code x}.
   */
  private Operand<TFloat32> centreTokens(Operand<TFloat32> x) {
    if (!config.network().centresTokens()) {
      return x;
    }
    return tf.math.sub(x, tf.math.mean(x, tf.constant(1), Mean.keepDims(true)));
  }

  /**
   * Every decoder layer's cross-attention keys and values over {@code memory} {@code [R, N,
   * decoderWidth]}.
   */
  public List<KeyValue> crossKeysValues(Operand<TFloat32> memory) {
    int wd = config.decoderWidth();
    int heads = config.decoderHeads();
    Operand<TFloat32> flat = tf.reshape(memory, tf.constant(new int[] {-1, wd}));
    Operand<TInt32> splitShape = tf.constant(new int[] {-1, imageTokens, 2, heads, wd / heads});
    List<KeyValue> out = new ArrayList<>();
    for (int l = 0; l < config.decoderLayers(); l++) {
      String p = ParameterLayout.decoderLayer(l);
      List<Operand<TFloat32>> kv =
          splitHeads(linear(flat, p + "cross_attention.key_value"), splitShape, 2);
      out.add(new KeyValue(kv.get(0), kv.get(1)));
    }
    return out;
  }

  /**
   * The decoder over {@code tokens} ({@code [R, n]} ids) at positions {@code start .. start+n-1},
   * where {@code start} is the length of the cached keys in {@code past} (0 when {@code past} is
   * null). Causal: position {@code i} attends to positions {@code <= i}, cached ones included.
   *
   * @param past each layer's cached self-attention keys and values, or null for none
   * @param cross each layer's cross-attention keys and values, one row per token row
   */
  public Decoded decode(
      Operand<TInt32> tokens, List<KeyValue> past, List<KeyValue> cross, ResidualNoise noise) {
    return decode(tokens, past, cross, noise, false);
  }

  /**
   * As {@link #decode(Operand, List, List, ResidualNoise)}; with {@code oneToken} the rows hold
   * exactly one new token each, which needs no causal mask (it may attend to every cached
   * position and itself).
   */
  public Decoded decode(Operand<TInt32> tokens, List<KeyValue> past, List<KeyValue> cross,
      ResidualNoise noise, boolean oneToken) {
    int wd = config.decoderWidth();
    int heads = config.decoderHeads();
    Operand<TInt32> length = oneToken ? tf.constant(1) : dimension(tokens, 1);
    Operand<TInt32> start = past == null ? tf.constant(0) : dimension(past.get(0).keys(), 2);
    Operand<TInt32> end = tf.math.add(start, length);
    Operand<TInt32> positions = tf.range(start, end, tf.constant(1));
    Operand<TFloat32> h = tf.math.add(
        tf.gather(weight(ParameterLayout.TOKEN_EMBEDDING), tokens, tf.constant(0)),
        tf.gather(weight(ParameterLayout.POSITION_EMBEDDING), positions, tf.constant(0)));
    h = tf.reshape(h, tf.constant(new int[] {-1, wd}));
    Operand<TFloat32> mask = oneToken ? null : tf.select(
        tf.math.greater(
            tf.expandDims(tf.range(tf.constant(0), end, tf.constant(1)), tf.constant(0)),
            tf.expandDims(positions, tf.constant(1))),
        minusInfinity, zero);
    Operand<TInt32> splitShape = tf.stack(List.of(tf.constant(-1), length, tf.constant(3),
        tf.constant(heads), tf.constant(wd / heads)));
    Operand<TInt32> queryShape = tf.stack(List.of(tf.constant(-1), length, tf.constant(heads),
        tf.constant(wd / heads)));
    Operand<TInt32> headsFirst = tf.constant(new int[] {0, 2, 1, 3});
    ResidualSite site = new ResidualSite(false, wd);
    List<KeyValue> grown = new ArrayList<>();
    for (int l = 0; l < config.decoderLayers(); l++) {
      String p = ParameterLayout.decoderLayer(l);
      List<Operand<TFloat32>> qkv = splitHeads(
          linear(layerNorm(h, p + "self_attention_norm"), p + "self_attention.qkv"),
          splitShape, 3);
      Operand<TFloat32> keys = qkv.get(1);
      Operand<TFloat32> values = qkv.get(2);
      if (past != null) {
        keys = tf.concat(List.of(past.get(l).keys(), keys), tf.constant(2));
        values = tf.concat(List.of(past.get(l).values(), values), tf.constant(2));
      }
      grown.add(new KeyValue(keys, values));
      Operand<TFloat32> attended = attend(qkv.get(0), keys, values, mask, wd, heads);
      h = tf.math.add(h, noise.apply(linear(attended, p + "self_attention.output"), site));
      Operand<TFloat32> query = tf.linalg.transpose(
          tf.reshape(linear(layerNorm(h, p + "cross_attention_norm"),
              p + "cross_attention.query"), queryShape),
          headsFirst);
      KeyValue kv = cross.get(l);
      attended = attend(query, kv.keys(), kv.values(), null, wd, heads);
      h = tf.math.add(h, noise.apply(linear(attended, p + "cross_attention.output"), site));
      h = tf.math.add(h, noise.apply(mlp(h, p + "mlp_norm", p + "mlp"), site));
    }
    return new Decoded(h, grown, length);
  }

  /**
   * Logits {@code [M, vocabSize]} of hidden states {@code [M, decoderWidth]}: {@code
   * LayerNorm(h) @ tokenEmbedding^T + outputBias}.
   */
  public Operand<TFloat32> logits(Operand<TFloat32> hidden) {
    return tf.nn.biasAdd(
        tf.linalg.matMul(layerNorm(hidden, "decoder.norm"),
            weight(ParameterLayout.TOKEN_EMBEDDING), MatMul.transposeB(true)),
        weight(ParameterLayout.OUTPUT_BIAS));
  }

  /** Logits {@code [R, vocabSize]} of each row's last position. */
  public Operand<TFloat32> lastLogits(Decoded decoded) {
    int wd = config.decoderWidth();
    Operand<TFloat32> rows = tf.reshape(decoded.hidden(),
        tf.stack(List.of(tf.constant(-1), decoded.length(), tf.constant(wd))));
    Operand<TFloat32> last = tf.gather(rows,
        tf.math.sub(decoded.length(), tf.constant(1)), tf.constant(1));
    return logits(last);
  }

  /** Dimension {@code axis} of {@code x}'s runtime shape, as a scalar. */
  public Operand<TInt32> dimension(Operand<?> x, int axis) {
    return tf.gather(tf.shape(x), tf.constant(axis), tf.constant(0));
  }

  private Operand<TFloat32> weight(String name) {
    if (layout.spec(name) == null) {
      throw new IllegalArgumentException("no parameter called '" + name + "'");
    }
    return weights.apply(name);
  }

  private Operand<TFloat32> linear(Operand<TFloat32> x, String prefix) {
    return tf.nn.biasAdd(
        tf.linalg.matMul(x, weight(prefix + ".weight"), MatMul.transposeB(true)),
        weight(prefix + ".bias"));
  }

  /** Convolution of NHWC {@code x}, square kernel, stride {@code stride}, no padding. */
  private Operand<TFloat32> conv(Operand<TFloat32> x, String prefix, int stride) {
    Operand<TFloat32> filter =
        tf.linalg.transpose(weight(prefix + ".weight"), tf.constant(new int[] {2, 3, 1, 0}));
    long s = stride;
    return tf.nn.biasAdd(tf.nn.conv2d(x, filter, List.of(1L, s, s, 1L), "VALID"),
        weight(prefix + ".bias"));
  }

  private Operand<TFloat32> layerNorm(Operand<TFloat32> x, String prefix) {
    Operand<TInt32> last = tf.constant(-1);
    Operand<TFloat32> mean = tf.math.mean(x, last, Mean.keepDims(true));
    Operand<TFloat32> centered = tf.math.sub(x, mean);
    Operand<TFloat32> variance =
        tf.math.mean(tf.math.square(centered), last, Mean.keepDims(true));
    Operand<TFloat32> normed =
        tf.math.mul(centered, tf.math.rsqrt(tf.math.add(variance, epsilon)));
    return tf.math.add(tf.math.mul(normed, weight(prefix + ".weight")),
        weight(prefix + ".bias"));
  }

  /** Exact GELU: {@code x * 0.5 * (1 + erf(x / sqrt 2))}. */
  private Operand<TFloat32> gelu(Operand<TFloat32> x) {
    return tf.math.mul(tf.math.mul(x, half),
        tf.math.add(one, tf.math.erf(tf.math.mul(x, inverseSqrt2))));
  }

  private Operand<TFloat32> mlp(Operand<TFloat32> x, String norm, String prefix) {
    return linear(gelu(linear(layerNorm(x, norm), prefix + ".fc1")), prefix + ".fc2");
  }

  /**
   * {@code [R * n, parts * W]} to {@code parts} operands {@code [R, heads, n, W / heads]}, where
   * {@code shape} is {@code [-1, n, parts, heads, W / heads]}.
   */
  private List<Operand<TFloat32>> splitHeads(
      Operand<TFloat32> x, Operand<TInt32> shape, int parts) {
    Operand<TFloat32> split = tf.linalg.transpose(tf.reshape(x, shape),
        tf.constant(new int[] {2, 0, 3, 1, 4}));
    return new ArrayList<>(tf.unstack(split, (long) parts, Unstack.axis(0L)).output());
  }

  /**
   * Scaled dot-product attention of queries {@code [R, H, n, d]} over keys and values {@code [R,
   * H, t, d]}, heads merged back to {@code [R * n, H * d]}; the scale multiplies the queries.
   */
  private Operand<TFloat32> attend(
      Operand<TFloat32> queries, Operand<TFloat32> keys, Operand<TFloat32> values,
      Operand<TFloat32> mask, int width, int heads) {
    Operand<TFloat32> scale = tf.constant((float) (1.0 / Math.sqrt(width / heads)));
    Operand<TFloat32> scores = tf.train.batchMatMul(tf.math.mul(queries, scale), keys,
        TFloat32.class, BatchMatMul.adjY(true));
    if (mask != null) {
      scores = tf.math.add(scores, mask);
    }
    Operand<TFloat32> attended = tf.train.batchMatMul(tf.nn.softmax(scores), values,
        TFloat32.class);
    return tf.reshape(tf.linalg.transpose(attended, tf.constant(new int[] {0, 2, 1, 3})),
        tf.constant(new int[] {-1, width}));
  }

  private Operand<TFloat32> table(float[] values, int rows, int width) {
    return tf.constant(Shape.of(rows, width), DataBuffers.of(values, true, false));
  }
}
