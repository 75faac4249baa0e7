package dev.pix2seq.djl.network;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import dev.pix2seq.api.config.ModelConfig;
import dev.pix2seq.api.network.FixedPositions;
import dev.pix2seq.api.network.ParameterLayout;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The Pix2seq network as explicit NDArray math over {@link Parameters}: ViT encoder, bridge and
 * decoder with cached or uncached self-attention. The exact math is written down in {@code
 * docs/checkpoint-format.md}. Stateless apart from the weights and two constant position tables;
 * every temporary array belongs to the caller's {@link Pass} and {@link ai.djl.ndarray.NDScope}.
 */
public final class Pix2seqNetwork {

  private record Norm(NDArray gain, NDArray bias) {}

  private record Dense(NDArray weight, NDArray bias) {}

  private record Mlp(Norm norm, Dense fc1, Dense fc2) {}

  private record EncoderLayer(Norm attentionNorm, Dense qkv, Dense output, Mlp mlp) {}

  private record DecoderLayer(
      Norm selfNorm, Dense selfQkv, Dense selfOutput, Norm crossNorm, Dense crossQuery,
      Dense crossKeyValue, Dense crossOutput, Mlp mlp) {}

  /**
   * The largest activation computed at once in inference: 16 MB of floats, well inside the sizes
   * glibc's allocator pools (an array past 32 MB is a fresh mapping every time, whose page faults
   * cost more than the arithmetic that fills it).
   */
  private static final long BLOCK_FLOATS = 4L << 20;

  private final ModelConfig config;
  private final int vocabSize;
  private final double eps;
  private final List<Dense> stem = new ArrayList<>();
  private final Dense patch;
  private final Norm patchNorm;
  private final List<EncoderLayer> encoderLayers = new ArrayList<>();
  private final Norm encoderNorm;
  private final Dense bridgeProjection;
  private final Norm bridgeNorm;
  private final Mlp bridgeMlp;
  private final NDArray tokenEmbedding;
  private final NDArray positionEmbedding;
  private final List<DecoderLayer> decoderLayers = new ArrayList<>();
  private final Norm decoderNorm;
  private final NDArray outputBias;
  private final NDArray encoderPositions;
  private final NDArray bridgePositions;
  private final int patchKernel;
  private final boolean centresTokens;
  /** The largest activation computed at once in inference, in floats. */
  private final long blockFloats;
  /** Images encoded at once in inference. */
  private final long imagesPerBlock;

  /**
   * A network over {@code parameters}; the constant position tables are created in {@code
   * constants} (the model's manager).
   */
  public Pix2seqNetwork(Parameters parameters, NDManager constants) {
    this(parameters, constants, BLOCK_FLOATS);
  }

  /** As the public constructor, with inference blocked at {@code blockFloats} per activation. */
  Pix2seqNetwork(Parameters parameters, NDManager constants, long blockFloats) {
    this.blockFloats = blockFloats;
    ParameterLayout layout = parameters.layout();
    this.config = layout.config();
    this.vocabSize = layout.vocabSize();
    this.eps = config.layerNormEpsilon();
    for (int i = 0; i < layout.stem().stages(); i++) {
      stem.add(dense(parameters, ParameterLayout.stemConv(i)));
    }
    patchKernel = layout.stem().patchKernel();
    patch = dense(parameters, "encoder.patch");
    patchNorm = norm(parameters, ParameterLayout.PATCH_NORM);
    for (int l = 0; l < config.encoderLayers(); l++) {
      String p = ParameterLayout.encoderLayer(l);
      encoderLayers.add(new EncoderLayer(
          norm(parameters, p + "attention_norm"),
          dense(parameters, p + "attention.qkv"),
          dense(parameters, p + "attention.output"),
          mlp(parameters, p + "mlp_norm", p + "mlp")));
    }
    encoderNorm = norm(parameters, "encoder.norm");
    bridgeProjection = dense(parameters, "bridge.projection");
    bridgeNorm = norm(parameters, "bridge.norm");
    bridgeMlp = mlp(parameters, "bridge.mlp_norm", "bridge.mlp");
    tokenEmbedding = parameters.get(ParameterLayout.TOKEN_EMBEDDING);
    positionEmbedding = parameters.get(ParameterLayout.POSITION_EMBEDDING);
    for (int l = 0; l < config.decoderLayers(); l++) {
      String p = ParameterLayout.decoderLayer(l);
      decoderLayers.add(new DecoderLayer(
          norm(parameters, p + "self_attention_norm"),
          dense(parameters, p + "self_attention.qkv"),
          dense(parameters, p + "self_attention.output"),
          norm(parameters, p + "cross_attention_norm"),
          dense(parameters, p + "cross_attention.query"),
          dense(parameters, p + "cross_attention.key_value"),
          dense(parameters, p + "cross_attention.output"),
          mlp(parameters, p + "mlp_norm", p + "mlp")));
    }
    decoderNorm = norm(parameters, "decoder.norm");
    outputBias = parameters.get(ParameterLayout.OUTPUT_BIAS);
    int side = config.imageSize() / config.patchSize();
    int tokens = side * side;
    encoderPositions = constants.create(
        FixedPositions.encoder(config), new Shape(tokens, config.encoderWidth()));
    bridgePositions = constants.create(
        FixedPositions.memory(config), new Shape(tokens, config.decoderWidth()));
    centresTokens = config.network().centresTokens();
    // per image, the MLP's hidden layer or the attention's queries, keys and values (the scores
    // are blocked by attend)
    long widest = (long) tokens * Math.max(config.encoderMlp(), 3 * config.encoderWidth());
    imagesPerBlock = Math.max(1, blockFloats / widest);
  }

  public ModelConfig config() {
    return config;
  }

  public int vocabSize() {
    return vocabSize;
  }

  /**
   * Encoder and bridge: images {@code [B, 3, S, S]} in [0, 1] to the decoder's memory {@code [B,
   * N, decoderWidth]}.
   */
  public NDArray encode(Pass pass, NDArray images) {
    long count = images.getShape().get(0);
    if (pass.isInference() && count > imagesPerBlock) {
      // Images are independent: a block of them keeps the largest activation (the MLP's hidden
      // layer, the attention scores) within the sizes glibc's allocator pools, where a batch of
      // full-size activations pays fresh page faults for every array of every layer.
      NDList blocks = new NDList();
      for (long from = 0; from < count; from += imagesPerBlock) {
        long to = Math.min(count, from + imagesPerBlock);
        blocks.add(encodeBlock(pass, images.get(new NDIndex("{}:{}", from, to))));
      }
      return NDArrays.concat(blocks, 0);
    }
    return encodeBlock(pass, images);
  }

  private NDArray encodeBlock(Pass pass, NDArray images) {
    NDArray x = images;
    for (Dense conv : stem) {
      x = Ops.gelu(Ops.conv2d(x, conv.weight, conv.bias, 2, 1));
    }
    x = centreTokens(layerNorm(patchify(x, patch.weight, patch.bias, patchKernel), patchNorm)
        .add(encoderPositions));
    int heads = config.encoderHeads();
    for (EncoderLayer layer : encoderLayers) {
      if (pass.isInference()) {
        // Free each layer's temporaries (the [B, heads, N, N] scores are the largest arrays of
        // the whole network: ~1 GB a layer for 8 images at 1600 tokens) before the next layer.
        try (NDScope layerScope = new NDScope()) {
          x = encoderLayer(pass, x, layer, heads);
          NDScope.unregister(x);
        }
      } else {
        x = encoderLayer(pass, x, layer, heads);
      }
    }
    x = layerNorm(x, encoderNorm);
    NDArray m = Ops.linear(x, bridgeProjection.weight, bridgeProjection.bias);
    m = layerNorm(m, bridgeNorm).add(bridgePositions);
    return centreTokens(m.add(pass.residual(mlp(m, bridgeMlp))));
  }

  private NDArray encoderLayer(Pass pass, NDArray x, EncoderLayer layer, int heads) {
    NDArray y = layerNorm(x, layer.attentionNorm);
    Shape xs = x.getShape();
    NDArray qkv = splitHeads(
        Ops.linear(y, layer.qkv.weight, layer.qkv.bias), xs.get(0), xs.get(1), 3, heads);
    NDArray attended = attend(pass, qkv.get(0), qkv.get(1).transpose(0, 1, 3, 2), qkv.get(2),
        null, xs);
    NDArray h = x.add(pass.residual(Ops.linear(attended, layer.output.weight, layer.output.bias)));
    return centreTokens(h.add(pass.residual(mlp(h, layer.mlp))));
  }

  /**
   * Every decoder layer's cross-attention keys and values over {@code memory} {@code [R, N,
   * decoderWidth]} (one row per decoding row or per image).
   */
  public List<KeyValue> crossKeysValues(NDArray memory) {
    List<KeyValue> out = new ArrayList<>(decoderLayers.size());
    for (DecoderLayer layer : decoderLayers) {
      Shape ms = memory.getShape();
      NDArray kv = splitHeads(
          Ops.linear(memory, layer.crossKeyValue.weight, layer.crossKeyValue.bias), ms.get(0),
          ms.get(1), 2, config.decoderHeads());
      out.add(new KeyValue(kv.get(0).transpose(0, 1, 3, 2), kv.get(1)));
    }
    return out;
  }

  /**
   * The decoder's final hidden states {@code [B, n, decoderWidth]} for {@code tokens} (int64
   * {@code [B, n]}) at positions {@code start .. start+n-1}. With a {@code cache}, attention also
   * reads the cached positions {@code 0 .. start-1} and the grown keys and values are staged in
   * it; without one, {@code start} must be 0. Causal: position {@code i} attends to positions
   * {@code <= i}.
   */
  public NDArray decode(
      Pass pass, NDArray tokens, int start, KvCache cache, List<KeyValue> cross) {
    long b = tokens.getShape().get(0);
    int n = Math.toIntExact(tokens.getShape().get(1));
    if (start < 0 || start + n > config.maxSequenceLength()) {
      throw new IllegalArgumentException(
          "positions " + start + ".." + (start + n - 1) + " exceed maxSequenceLength "
              + config.maxSequenceLength());
    }
    if (cache == null && start != 0) {
      throw new IllegalArgumentException("decoding without a cache must start at position 0");
    }
    int heads = config.decoderHeads();
    int width = config.decoderWidth();
    // The hidden states stay [B * n, width] between layers: a linear map of a matrix is one
    // fused product and bias (addmm), where a [B, n, width] input costs a batched product and a
    // separate bias add.
    Shape rows = new Shape(b * n, width);
    NDArray h = Ops.embedding(tokens, tokenEmbedding)
        .add(positionEmbedding.get(new NDIndex("{}:{}", start, start + n)))
        .reshape(rows);
    NDArray mask = n > 1 ? causalMask(pass, n, start) : null;
    for (int l = 0; l < decoderLayers.size(); l++) {
      DecoderLayer layer = decoderLayers.get(l);
      NDArray y = layerNorm(h, layer.selfNorm);
      NDArray qkv = splitHeads(
          Ops.linear(y, layer.selfQkv.weight, layer.selfQkv.bias), b, n, 3, heads);
      NDArray keysT = qkv.get(1).transpose(0, 1, 3, 2);
      NDArray values = qkv.get(2);
      if (cache != null) {
        KeyValue past = cache.layer(l);
        if (past != null) {
          keysT = past.keysTransposed().concat(keysT, 3);
          values = past.values().concat(values, 2);
        }
        cache.stage(l, new KeyValue(keysT, values));
      }
      NDArray attended = attend(pass, qkv.get(0), keysT, values, mask, rows);
      h = h.add(pass.residual(Ops.linear(attended, layer.selfOutput.weight, layer.selfOutput.bias)));
      y = layerNorm(h, layer.crossNorm);
      NDArray q = Ops.linear(y, layer.crossQuery.weight, layer.crossQuery.bias)
          .reshape(b, n, heads, width / heads)
          .transpose(0, 2, 1, 3);
      KeyValue kv = cross.get(l);
      attended = attend(pass, q, kv.keysTransposed(), kv.values(), null, rows);
      h = h.add(pass.residual(
          Ops.linear(attended, layer.crossOutput.weight, layer.crossOutput.bias)));
      h = h.add(pass.residual(mlp(h, layer.mlp)));
    }
    return h.reshape(b, n, width);
  }

  /** Logits {@code [..., vocabSize]}: {@code LayerNorm(h) @ tokenEmbedding^T + outputBias}. */
  public NDArray logits(NDArray hidden) {
    return Ops.linear(layerNorm(hidden, decoderNorm), tokenEmbedding, outputBias);
  }

  /** Logits {@code [B, vocabSize]} of the last position of {@code hidden} {@code [B, n, D]}. */
  public NDArray lastLogits(NDArray hidden) {
    return logits(hidden.get(new NDIndex(":, -1, :")));
  }

  /**
   * The patch convolution (kernel = stride = {@code patchKernel}, no padding) of {@code [B, C, H,
   * W]} as one matrix product over flattened {@code (channel, dy, dx)} patches, giving tokens
   * {@code [B, (H/k) * (W/k), encoderWidth]} in row-major grid order. Same math as a strided
   * convolution, but PyTorch's batch-1 convolution path would log an NNPACK warning per call.
   */
  static NDArray patchify(NDArray x, NDArray weight, NDArray bias, int k) {
    Shape s = x.getShape();
    long b = s.get(0);
    long c = s.get(1);
    long rows = s.get(2) / k;
    long cols = s.get(3) / k;
    NDArray patches = x.reshape(b, c, rows, k, cols, k)
        .transpose(0, 2, 4, 1, 3, 5)
        .reshape(b, rows * cols, c * k * k);
    return Ops.linear(patches, weight.reshape(weight.getShape().get(0), c * k * k), bias);
  }

  /** {@code [B, n, k*D]} or {@code [B*n, k*D]} to {@code [k, B, heads, n, D/heads]}. */
  private static NDArray splitHeads(NDArray x, long b, long n, int parts, int heads) {
    Shape s = x.getShape();
    long width = s.get(s.dimension() - 1) / parts;
    return x.reshape(b, n, parts, heads, width / heads).transpose(2, 0, 3, 1, 4);
  }

  /**
   * Scaled dot-product attention of {@code q} {@code [B, H, n, d]} over keys {@code [B, H, d, t]}
   * and values {@code [B, H, t, d]}, heads merged back and shaped {@code out} ({@code [B, n,
   * H*d]} or {@code [B*n, H*d]}).
   */
  private NDArray attend(
      Pass pass, NDArray q, NDArray keysT, NDArray values, NDArray mask, Shape out) {
    float scale = (float) (1.0 / Math.sqrt(q.getShape().get(3)));
    NDArray scaled = q.mul(pass.scalar(scale));
    Shape qs = q.getShape();
    long scoresPerQuery = qs.get(0) * qs.get(1) * keysT.getShape().get(3);
    long queriesPerBlock = Math.max(1, blockFloats / scoresPerQuery);
    NDArray attended;
    if (!pass.isInference() || queriesPerBlock >= qs.get(2)) {
      attended = attendBlock(scaled, keysT, values, mask);
    } else {
      // Large score arrays (the encoder's [B, heads, N, N]) in blocks of queries.
      NDList blocks = new NDList();
      for (long from = 0; from < qs.get(2); from += queriesPerBlock) {
        long to = Math.min(qs.get(2), from + queriesPerBlock);
        blocks.add(attendBlock(scaled.get(new NDIndex(":, :, {}:{}", from, to)), keysT, values,
            mask == null ? null : mask.get(new NDIndex("{}:{}", from, to))));
      }
      attended = NDArrays.concat(blocks, 2);
    }
    return attended.transpose(0, 2, 1, 3).reshape(out);
  }

  /** {@code softmax(q keysT + mask) values} for already scaled queries. */
  private static NDArray attendBlock(NDArray q, NDArray keysT, NDArray values, NDArray mask) {
    NDArray scores = q.matMul(keysT);
    if (mask != null) {
      scores = scores.add(mask);
    }
    return scores.softmax(-1).matMul(values);
  }

  private NDArray mlp(NDArray x, Mlp mlp) {
    NDArray y = layerNorm(x, mlp.norm);
    y = Ops.gelu(Ops.linear(y, mlp.fc1.weight, mlp.fc1.bias));
    return Ops.linear(y, mlp.fc2.weight, mlp.fc2.bias);
  }

  /**
   * {@code [B, N, D]} less its mean over the {@code N} tokens of each image, when the network
   * variant centres tokens; otherwise {@code x}.
   */
  private NDArray centreTokens(NDArray x) {
    return centresTokens ? x.sub(x.mean(new int[] {1}, true)) : x;
  }

  private NDArray layerNorm(NDArray x, Norm norm) {
    return Ops.layerNorm(x, norm.gain, norm.bias, eps);
  }

  /** Additive mask {@code [n, start+n]}: 0 where key {@code j <= start+i}, -inf elsewhere. */
  private static NDArray causalMask(Pass pass, int n, int start) {
    int t = start + n;
    float[] values = new float[n * t];
    for (int i = 0; i < n; i++) {
      Arrays.fill(values, i * t + start + i + 1, (i + 1) * t, Float.NEGATIVE_INFINITY);
    }
    return pass.manager().create(values, new Shape(n, t));
  }

  private static Dense dense(Parameters p, String prefix) {
    return new Dense(p.get(prefix + ".weight"), p.get(prefix + ".bias"));
  }

  private static Norm norm(Parameters p, String prefix) {
    return new Norm(p.get(prefix + ".weight"), p.get(prefix + ".bias"));
  }

  private static Mlp mlp(Parameters p, String normPrefix, String prefix) {
    return new Mlp(norm(p, normPrefix), dense(p, prefix + ".fc1"), dense(p, prefix + ".fc2"));
  }
}
