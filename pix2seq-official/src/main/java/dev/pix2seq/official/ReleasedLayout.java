package dev.pix2seq.official;

import static dev.pix2seq.official.VariableConversion.CONV_KERNEL;
import static dev.pix2seq.official.VariableConversion.COPY;
import static dev.pix2seq.official.VariableConversion.DENSE_KERNEL;
import static dev.pix2seq.official.VariableConversion.HEADS_TO_OUTPUT;
import static dev.pix2seq.official.VariableConversion.HEAD_BIASES;
import static dev.pix2seq.official.VariableConversion.HEAD_KERNELS;

import dev.pix2seq.api.config.ModelConfig;
import dev.pix2seq.api.config.NetworkVariant;
import dev.pix2seq.api.network.ParameterLayout;
import java.util.ArrayList;
import java.util.List;

/**
 * The variable keys of the official Pix2seq checkpoints, as the released files spell them (TF2
 * object-based checkpoints written by Keras 2), and which of our parameters each one becomes.
 *
 * <p>A key is the object path from the checkpoint root, then {@value #VALUE_SUFFIX}: Keras layers
 * by their attribute names ({@code model/encoder/stem_conv/kernel}), list items by index ({@code
 * .../enc_layers/0/...}), and the decoder's own weights by the name they were created with, whose
 * {@code /} the checkpoint writes as {@code .S} ({@code model/decoder/ar_decoder.Stoken_embedding}).
 * Optimizer slots ({@code .../.OPTIMIZER_SLOT/...}), {@code optimizer/...}, the step counters and
 * the object graph are not model variables.
 */
public final class ReleasedLayout {

  /** What every variable key ends with. */
  public static final String VALUE_SUFFIX = "/.ATTRIBUTES/VARIABLE_VALUE";

  /** The patch convolution's kernel: present in every official ViT checkpoint. */
  public static final String STEM_CONV = "model/encoder/stem_conv/";

  /** Prefix of encoder layer {@code l}: append the index and a slash. */
  public static final String ENCODER_LAYERS = "model/encoder/transformer_encoder/enc_layers/";

  /** Prefix of decoder layer {@code l}: append the index and a slash. */
  public static final String DECODER_LAYERS = "model/decoder/decoder/dec_layers/";

  /** The shared input/output token embedding {@code [vocab, decoderWidth]}. */
  public static final String TOKEN_EMBEDDING = "model/decoder/ar_decoder.Stoken_embedding";

  /** The learned decoder positions {@code [maxSeqLen, decoderWidth]}. */
  public static final String POSITION_EMBEDDING = "model/decoder/ar_decoder.Sseq_pos_embedding";

  /** The output bias {@code [vocab]}. */
  public static final String OUTPUT_BIAS = "model/decoder/ar_decoder.Soutp_bias";

  /** The bridge's MLP (its hidden width must equal the decoder's MLP width). */
  public static final String BRIDGE_MLP = "model/proj_mlp/";

  private ReleasedLayout() {}

  /**
   * Whether a checkpoint key is a model variable: under {@code model/}, not an optimizer slot.
   * Everything else (the step counter, the save counter, optimizer state, the object graph) is
   * skipped by an import.
   */
  public static boolean isModelVariable(String key) {
    return key.startsWith("model/") && key.endsWith(VALUE_SUFFIX)
        && !key.contains("/.OPTIMIZER_SLOT/");
  }

  /** A key without {@link #VALUE_SUFFIX}. */
  public static String variableName(String key) {
    return key.endsWith(VALUE_SUFFIX)
        ? key.substring(0, key.length() - VALUE_SUFFIX.length())
        : key;
  }

  /**
   * Every parameter of the official network {@code config} with vocabulary {@code vocabSize}, in
   * the order of {@link ParameterLayout}, with the official variables it is made of.
   *
   * @throws IllegalArgumentException if {@code config} is not the official network variant
   */
  public static List<VariableMapping> mappings(ModelConfig config, int vocabSize) {
    if (config.network() != NetworkVariant.OFFICIAL || config.convStem()) {
      throw new IllegalArgumentException(
          "the released layout describes the official network (network 'official', no conv"
              + " stem), found network '" + config.network().configName() + "'");
    }
    List<VariableMapping> out = new ArrayList<>();
    int p = config.patchSize();
    int we = config.encoderWidth();
    int wd = config.decoderWidth();
    out.add(map("encoder.patch.weight", new int[] {we, 3, p, p}, CONV_KERNEL,
        STEM_CONV + "kernel", new int[] {p, p, 3, we}));
    out.add(map("encoder.patch.bias", new int[] {we}, COPY, STEM_CONV + "bias", new int[] {we}));
    norm(out, ParameterLayout.PATCH_NORM, "model/encoder/stem_ln/", we);
    for (int l = 0; l < config.encoderLayers(); l++) {
      String ours = ParameterLayout.encoderLayer(l);
      String theirs = ENCODER_LAYERS + l + "/";
      norm(out, ours + "attention_norm", theirs + "mha_ln/", we);
      attention(out, ours + "attention.qkv", theirs + "mha/",
          new String[] {"_query_dense", "_key_dense", "_value_dense"}, we, we,
          config.encoderHeads());
      attentionOutput(out, ours + "attention.output", theirs + "mha/", we, config.encoderHeads());
      mlp(out, ours + "mlp_norm", ours + "mlp", theirs + "mlp/", we, config.encoderMlp());
    }
    norm(out, "encoder.norm", "model/encoder/output_ln/", we);
    dense(out, "bridge.projection", "model/proj/", we, wd);
    norm(out, "bridge.norm", "model/proj_ln/", wd);
    mlp(out, "bridge.mlp_norm", "bridge.mlp", BRIDGE_MLP, wd, config.decoderMlp());
    out.add(map(ParameterLayout.TOKEN_EMBEDDING, new int[] {vocabSize, wd}, COPY,
        TOKEN_EMBEDDING, new int[] {vocabSize, wd}));
    int length = config.maxSequenceLength();
    out.add(map(ParameterLayout.POSITION_EMBEDDING, new int[] {length, wd}, COPY,
        POSITION_EMBEDDING, new int[] {length, wd}));
    int heads = config.decoderHeads();
    for (int l = 0; l < config.decoderLayers(); l++) {
      String ours = ParameterLayout.decoderLayer(l);
      String theirs = DECODER_LAYERS + l + "/";
      norm(out, ours + "self_attention_norm", theirs + "self_ln/", wd);
      attention(out, ours + "self_attention.qkv", theirs + "self_mha/",
          new String[] {"_query_dense", "_key_dense", "_value_dense"}, wd, wd, heads);
      attentionOutput(out, ours + "self_attention.output", theirs + "self_mha/", wd, heads);
      norm(out, ours + "cross_attention_norm", theirs + "cross_ln/", wd);
      attention(out, ours + "cross_attention.query", theirs + "cross_mha/",
          new String[] {"_query_dense"}, wd, wd, heads);
      attention(out, ours + "cross_attention.key_value", theirs + "cross_mha/",
          new String[] {"_key_dense", "_value_dense"}, wd, wd, heads);
      attentionOutput(out, ours + "cross_attention.output", theirs + "cross_mha/", wd, heads);
      mlp(out, ours + "mlp_norm", ours + "mlp", theirs + "mlp/", wd, config.decoderMlp());
    }
    norm(out, "decoder.norm", "model/decoder/output_ln/", wd);
    out.add(map(ParameterLayout.OUTPUT_BIAS, new int[] {vocabSize}, COPY, OUTPUT_BIAS,
        new int[] {vocabSize}));
    return out;
  }

  private static VariableMapping map(
      String parameter, int[] shape, VariableConversion conversion, String key, int[] keyShape) {
    return new VariableMapping(parameter, shape, List.of(key), List.<int[]>of(keyShape),
        conversion);
  }

  private static void norm(List<VariableMapping> out, String ours, String theirs, int width) {
    out.add(map(ours + ".weight", new int[] {width}, COPY, theirs + "gamma", new int[] {width}));
    out.add(map(ours + ".bias", new int[] {width}, COPY, theirs + "beta", new int[] {width}));
  }

  private static void dense(
      List<VariableMapping> out, String ours, String theirs, int in, int outWidth) {
    out.add(map(ours + ".weight", new int[] {outWidth, in}, DENSE_KERNEL, theirs + "kernel",
        new int[] {in, outWidth}));
    out.add(map(ours + ".bias", new int[] {outWidth}, COPY, theirs + "bias",
        new int[] {outWidth}));
  }

  private static void mlp(List<VariableMapping> out, String oursNorm, String oursMlp,
      String theirs, int width, int hidden) {
    norm(out, oursNorm, theirs + "layernorms/0/", width);
    dense(out, oursMlp + ".fc1", theirs + "mlp_layers/0/dense1/", width, hidden);
    dense(out, oursMlp + ".fc2", theirs + "mlp_layers/0/dense2/", hidden, width);
  }

  private static void attention(List<VariableMapping> out, String ours, String theirs,
      String[] projections, int in, int width, int heads) {
    int headWidth = width / heads;
    List<String> kernels = new ArrayList<>();
    List<String> biases = new ArrayList<>();
    List<int[]> kernelShapes = new ArrayList<>();
    List<int[]> biasShapes = new ArrayList<>();
    for (String projection : projections) {
      kernels.add(theirs + projection + "/kernel");
      biases.add(theirs + projection + "/bias");
      kernelShapes.add(new int[] {in, heads, headWidth});
      biasShapes.add(new int[] {heads, headWidth});
    }
    int rows = projections.length * width;
    out.add(new VariableMapping(ours + ".weight", new int[] {rows, in}, kernels, kernelShapes,
        HEAD_KERNELS));
    out.add(new VariableMapping(ours + ".bias", new int[] {rows}, biases, biasShapes,
        HEAD_BIASES));
  }

  private static void attentionOutput(
      List<VariableMapping> out, String ours, String theirs, int width, int heads) {
    out.add(map(ours + ".weight", new int[] {width, width}, HEADS_TO_OUTPUT,
        theirs + "_output_dense/kernel", new int[] {heads, width / heads, width}));
    out.add(map(ours + ".bias", new int[] {width}, COPY, theirs + "_output_dense/bias",
        new int[] {width}));
  }
}
