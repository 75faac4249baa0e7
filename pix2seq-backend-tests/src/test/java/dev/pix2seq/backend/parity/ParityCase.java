package dev.pix2seq.backend.parity;

import dev.pix2seq.api.config.ModelConfig;

/**
 * One architecture the parity tests run: a name for reports, the config, the vocabulary size
 * and the seed of the weights.
 */
record ParityCase(String name, ModelConfig config, int vocab, long seed) {

  /** A small architecture; widths must be multiples of 4, heads must divide them. */
  static ParityCase of(String name, int imageSize, int patchSize, boolean convStem,
      int encoderLayers, int encoderWidth, int encoderHeads, int decoderLayers, int decoderWidth,
      int decoderHeads, double layerNormEpsilon, long seed) {
    return new ParityCase(name, new ModelConfig(ModelConfig.CURRENT_VERSION, "parity", imageSize,
        patchSize, convStem, encoderLayers, encoderWidth, encoderHeads, 2 * encoderWidth,
        decoderLayers, decoderWidth, decoderHeads, 2 * decoderWidth, 24, 0.0, 0.0,
        layerNormEpsilon), 50, seed);
  }

  /** A named preset with a 4096-token vocabulary (the sizes docs/checkpoint-format.md lists). */
  static ParityCase preset(String name, long seed) {
    return new ParityCase("preset " + name, ModelConfig.preset(name), 4096, seed);
  }

  @Override
  public String toString() {
    return name;
  }
}
