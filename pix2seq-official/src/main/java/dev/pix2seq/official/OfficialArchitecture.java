package dev.pix2seq.official;

import dev.pix2seq.api.CheckpointException;
import dev.pix2seq.api.config.ModelConfig;
import dev.pix2seq.api.config.NetworkVariant;
import java.util.Arrays;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The official network's sizes read from a checkpoint's variable shapes: every width, depth, head
 * count, the vocabulary and the sequence length. Only the image size is not stored (the encoder's
 * positions are computed), so it comes from the run's {@code config.json} or a named variant.
 */
public final class OfficialArchitecture {

  private static final Pattern LAYER_INDEX = Pattern.compile("^(\\d+)/");

  private OfficialArchitecture() {}

  /**
   * The network of a checkpoint.
   *
   * @param shapes every model variable's name (without {@link ReleasedLayout#VALUE_SUFFIX}) and
   *     shape
   * @param imageSize side of the square model input
   * @param source the checkpoint, for messages
   * @return the official network config; {@link #vocabSize} gives the vocabulary
   * @throws CheckpointException naming the checkpoint and the variable when a size cannot be read
   *     (not an official ViT checkpoint, or an unsupported option)
   */
  public static ModelConfig fromShapes(Map<String, int[]> shapes, int imageSize, String source)
      throws CheckpointException {
    int[] stem = shapes.get(ReleasedLayout.STEM_CONV + "kernel");
    if (stem == null) {
      boolean resnet = shapes.keySet().stream().anyMatch(k -> k.startsWith("model/encoder/resnet"));
      throw new CheckpointException(source + ": not an official Pix2seq ViT checkpoint: it has no "
          + "variable " + ReleasedLayout.STEM_CONV + "kernel"
          + (resnet ? " (its encoder is a ResNet, which this library does not implement)" : ""));
    }
    require(source, ReleasedLayout.STEM_CONV + "kernel", stem, 4);
    int patch = stem[0];
    if (stem[1] != patch || stem[2] != 3) {
      throw new CheckpointException(source + ": " + ReleasedLayout.STEM_CONV + "kernel has shape "
          + Arrays.toString(stem) + ", expected [patch, patch, 3, width]");
    }
    int encoderWidth = stem[3];
    int encoderLayers = layerCount(shapes, ReleasedLayout.ENCODER_LAYERS, source);
    String enc0 = ReleasedLayout.ENCODER_LAYERS + "0/";
    int encoderHeads = dim(shapes, enc0 + "mha/_query_dense/kernel", 3, 1, source);
    int encoderMlp = dim(shapes, enc0 + "mlp/mlp_layers/0/dense1/kernel", 2, 1, source);
    int[] embedding = shapes.get(ReleasedLayout.TOKEN_EMBEDDING);
    require(source, ReleasedLayout.TOKEN_EMBEDDING, embedding, 2);
    int decoderWidth = embedding[1];
    int maxLength = dim(shapes, ReleasedLayout.POSITION_EMBEDDING, 2, 0, source);
    int decoderLayers = layerCount(shapes, ReleasedLayout.DECODER_LAYERS, source);
    String dec0 = ReleasedLayout.DECODER_LAYERS + "0/";
    int decoderHeads = dim(shapes, dec0 + "self_mha/_query_dense/kernel", 3, 1, source);
    int decoderMlp = dim(shapes, dec0 + "mlp/mlp_layers/0/dense1/kernel", 2, 1, source);
    int bridgeMlp = dim(shapes, ReleasedLayout.BRIDGE_MLP + "mlp_layers/0/dense1/kernel", 2, 1,
        source);
    if (bridgeMlp != decoderMlp) {
      throw new CheckpointException(source + ": the bridge MLP is " + bridgeMlp
          + " wide but the decoder MLP " + decoderMlp + "; this library's network needs them equal"
          + " (the official code sizes the bridge by the encoder's MLP ratio)");
    }
    if (imageSize % patch != 0) {
      throw new CheckpointException(source + ": image size " + imageSize
          + " is not a multiple of the checkpoint's patch size " + patch);
    }
    ModelConfig config;
    try {
      config = new ModelConfig(ModelConfig.CURRENT_VERSION, "official", imageSize, patch,
          false, encoderLayers, encoderWidth, encoderHeads, encoderMlp, decoderLayers,
          decoderWidth, decoderHeads, decoderMlp, maxLength, 0.0, 0.0, 1e-6,
          NetworkVariant.OFFICIAL);
    } catch (IllegalArgumentException e) {
      throw new CheckpointException(source + ": unsupported network: " + e.getMessage(), e);
    }
    return withMatchingPreset(config);
  }

  /** The vocabulary size of a checkpoint: the rows of its token embedding. */
  public static int vocabSize(Map<String, int[]> shapes, String source) throws CheckpointException {
    return dim(shapes, ReleasedLayout.TOKEN_EMBEDDING, 2, 0, source);
  }

  /**
   * The named official preset that {@code config} equals, if any; else {@code config} itself,
   * based on the generic {@code official} preset (the name is informational).
   */
  private static ModelConfig withMatchingPreset(ModelConfig config) {
    for (String name : ModelConfig.presetNames()) {
      ModelConfig preset = ModelConfig.preset(name);
      if (!name.equals(config.preset()) && preset.network() == NetworkVariant.OFFICIAL
          && sameNetwork(preset, config)) {
        return preset;
      }
    }
    return config;
  }

  private static boolean sameNetwork(ModelConfig a, ModelConfig b) {
    return a.imageSize() == b.imageSize() && a.patchSize() == b.patchSize()
        && a.encoderLayers() == b.encoderLayers() && a.encoderWidth() == b.encoderWidth()
        && a.encoderHeads() == b.encoderHeads() && a.encoderMlp() == b.encoderMlp()
        && a.decoderLayers() == b.decoderLayers() && a.decoderWidth() == b.decoderWidth()
        && a.decoderHeads() == b.decoderHeads() && a.decoderMlp() == b.decoderMlp()
        && a.maxSequenceLength() == b.maxSequenceLength()
        && a.layerNormEpsilon() == b.layerNormEpsilon()
        && a.dropout() == b.dropout() && a.dropPath() == b.dropPath();
  }

  private static int layerCount(Map<String, int[]> shapes, String prefix, String source)
      throws CheckpointException {
    int max = -1;
    for (String key : shapes.keySet()) {
      if (key.startsWith(prefix)) {
        Matcher m = LAYER_INDEX.matcher(key.substring(prefix.length()));
        if (m.find()) {
          max = Math.max(max, Integer.parseInt(m.group(1)));
        }
      }
    }
    if (max < 0) {
      throw new CheckpointException(source + ": no variable under " + prefix
          + " (not an official Pix2seq encoder_ar_decoder checkpoint)");
    }
    return max + 1;
  }

  private static int dim(Map<String, int[]> shapes, String name, int rank, int axis, String source)
      throws CheckpointException {
    int[] shape = shapes.get(name);
    require(source, name, shape, rank);
    return shape[axis];
  }

  private static void require(String source, String name, int[] shape, int rank)
      throws CheckpointException {
    if (shape == null) {
      throw new CheckpointException(source + ": variable " + name + " is missing"
          + " (not an official Pix2seq encoder_ar_decoder checkpoint)");
    }
    if (shape.length != rank) {
      throw new CheckpointException(source + ": variable " + name + " has shape "
          + Arrays.toString(shape) + ", expected rank " + rank);
    }
  }
}
