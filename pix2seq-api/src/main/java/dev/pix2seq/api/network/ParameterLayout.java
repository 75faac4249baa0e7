package dev.pix2seq.api.network;

import dev.pix2seq.api.config.ModelConfig;
import dev.pix2seq.api.network.ParameterSpec.Initialiser;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every parameter of the network for one {@link ModelConfig} and vocabulary size, in checkpoint
 * order, with the backend-neutral names of {@code docs/checkpoint-format.md}. The single place
 * where names are spelled.
 */
public final class ParameterLayout {

  /** Name of the token embedding {@code [vocabSize, decoderWidth]} (also the output matrix). */
  public static final String TOKEN_EMBEDDING = "decoder.token_embedding";

  /** Name of the learned decoder positions {@code [maxSequenceLength, decoderWidth]}. */
  public static final String POSITION_EMBEDDING = "decoder.position_embedding";

  /**
   * Prefix of the layer norm of the patch embeddings, applied before the fixed positions are
   * added, so that image content and position enter the encoder at the same scale.
   */
  public static final String PATCH_NORM = "encoder.patch_norm";

  /** Name of the output bias {@code [vocabSize]}. */
  public static final String OUTPUT_BIAS = "decoder.output_bias";

  /** The safetensors metadata of a weights file ({@code docs/checkpoint-format.md} section 1). */
  public static final Map<String, String> WEIGHTS_METADATA =
      Map.of("pix2seq.format", "pix2seq-weights-v1");

  private final ModelConfig config;
  private final int vocabSize;
  private final ConvStem stem;
  private final Map<String, ParameterSpec> specs = new LinkedHashMap<>();

  private ParameterLayout(ModelConfig config, int vocabSize) {
    this.config = config;
    this.vocabSize = vocabSize;
    this.stem = ConvStem.of(config.patchSize(), config.encoderWidth(), config.convStem());
    int we = config.encoderWidth();
    int wd = config.decoderWidth();
    for (int i = 0; i < stem.stages(); i++) {
      conv(stemConv(i), stem.channels()[i], stem.stageInputChannels(i), 3);
    }
    conv("encoder.patch", we, stem.patchInputChannels(), stem.patchKernel());
    norm(PATCH_NORM, we);
    for (int l = 0; l < config.encoderLayers(); l++) {
      String p = encoderLayer(l);
      norm(p + "attention_norm", we);
      linear(p + "attention.qkv", 3 * we, we);
      linear(p + "attention.output", we, we);
      norm(p + "mlp_norm", we);
      linear(p + "mlp.fc1", config.encoderMlp(), we);
      linear(p + "mlp.fc2", we, config.encoderMlp());
    }
    norm("encoder.norm", we);
    linear("bridge.projection", wd, we);
    norm("bridge.norm", wd);
    norm("bridge.mlp_norm", wd);
    linear("bridge.mlp.fc1", config.decoderMlp(), wd);
    linear("bridge.mlp.fc2", wd, config.decoderMlp());
    add(TOKEN_EMBEDDING, new int[] {vocabSize, wd}, Initialiser.NORMAL_002, true);
    add(POSITION_EMBEDDING, new int[] {config.maxSequenceLength(), wd}, Initialiser.NORMAL_002,
        false);
    for (int l = 0; l < config.decoderLayers(); l++) {
      String p = decoderLayer(l);
      norm(p + "self_attention_norm", wd);
      linear(p + "self_attention.qkv", 3 * wd, wd);
      linear(p + "self_attention.output", wd, wd);
      norm(p + "cross_attention_norm", wd);
      linear(p + "cross_attention.query", wd, wd);
      linear(p + "cross_attention.key_value", 2 * wd, wd);
      // Zero at first: the decoder starts from the prompt and its own tokens alone and lets the
      // image in only along directions that lower the loss; random image features mixed in at
      // the start act as noise, and the encoder learned to wash them out (docs/training-notes.md).
      linear(p + "cross_attention.output", wd, wd, Initialiser.ZEROS);
      norm(p + "mlp_norm", wd);
      linear(p + "mlp.fc1", config.decoderMlp(), wd);
      linear(p + "mlp.fc2", wd, config.decoderMlp());
    }
    norm("decoder.norm", wd);
    add(OUTPUT_BIAS, new int[] {vocabSize}, Initialiser.ZEROS, false);
  }

  /**
   * The layout of {@code config} with {@code vocabSize} tokens.
   *
   * @throws IllegalArgumentException if a width is not a multiple of 4 (the 2D sin-cos position
   *     encoding needs four equal parts) or the vocabulary is empty
   */
  public static ParameterLayout of(ModelConfig config, int vocabSize) {
    if (vocabSize < 1) {
      throw new IllegalArgumentException("vocabSize must be >= 1, found " + vocabSize);
    }
    if (config.encoderWidth() % 4 != 0 || config.decoderWidth() % 4 != 0) {
      throw new IllegalArgumentException(
          "encoderWidth and decoderWidth must be multiples of 4 (2D sin-cos positions), found "
              + config.encoderWidth() + " and " + config.decoderWidth());
    }
    return new ParameterLayout(config, vocabSize);
  }

  /** Prefix of encoder layer {@code l}'s names, ending with a dot. */
  public static String encoderLayer(int l) {
    return "encoder.layers." + l + ".";
  }

  /** Prefix of decoder layer {@code l}'s names, ending with a dot. */
  public static String decoderLayer(int l) {
    return "decoder.layers." + l + ".";
  }

  /** Name prefix of conv stem stage {@code i}. */
  public static String stemConv(int i) {
    return "encoder.stem." + i;
  }

  public ModelConfig config() {
    return config;
  }

  public int vocabSize() {
    return vocabSize;
  }

  public ConvStem stem() {
    return stem;
  }

  /** Every parameter, in checkpoint order. */
  public List<ParameterSpec> specs() {
    return Collections.unmodifiableList(new ArrayList<>(specs.values()));
  }

  /** The parameter called {@code name}, or null. */
  public ParameterSpec spec(String name) {
    return specs.get(name);
  }

  /** Total number of trainable values. */
  public long parameterCount() {
    long n = 0;
    for (ParameterSpec s : specs.values()) {
      n += s.size();
    }
    return n;
  }

  private void linear(String prefix, int out, int in) {
    linear(prefix, out, in, Initialiser.NORMAL_002);
  }

  private void linear(String prefix, int out, int in, Initialiser weightInit) {
    add(prefix + ".weight", new int[] {out, in}, weightInit, true);
    add(prefix + ".bias", new int[] {out}, Initialiser.ZEROS, false);
  }

  private void conv(String prefix, int out, int in, int kernel) {
    add(prefix + ".weight", new int[] {out, in, kernel, kernel}, Initialiser.FAN_IN_NORMAL, true);
    add(prefix + ".bias", new int[] {out}, Initialiser.ZEROS, false);
  }

  private void norm(String prefix, int width) {
    add(prefix + ".weight", new int[] {width}, Initialiser.ONES, false);
    add(prefix + ".bias", new int[] {width}, Initialiser.ZEROS, false);
  }

  private void add(String name, int[] shape, Initialiser init, boolean decayed) {
    specs.put(name, new ParameterSpec(name, shape, init, decayed));
  }
}
