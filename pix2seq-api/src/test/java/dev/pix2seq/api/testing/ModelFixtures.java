package dev.pix2seq.api.testing;

import dev.pix2seq.api.config.ModelConfig;
import dev.pix2seq.api.sampling.LogitMath;
import dev.pix2seq.api.value.ImageTensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Small generated configs, images and token rows that every backend's tests share (published
 * as pix2seq-api's test jar).
 */
public final class ModelFixtures {

  /** The vocabulary size of the small configs' tests. */
  public static final int VOCAB = 50;

  private ModelFixtures() {}

  /**
   * A tiny architecture: 32 px images, 8 px patches (16 image tokens), width 32, 2 heads, MLP
   * 64, sequences up to 24 tokens, no dropout.
   */
  public static ModelConfig tinyConfig(boolean convStem, int encoderLayers, int decoderLayers) {
    return new ModelConfig(ModelConfig.CURRENT_VERSION, "test", 32, 8, convStem, encoderLayers,
        32, 2, 64, decoderLayers, 32, 2, 64, 24, 0.0, 0.0, 1e-6);
  }

  /** {@link #tinyConfig} with 2 encoder and 2 decoder layers. */
  public static ModelConfig smallConfig(boolean convStem) {
    return tinyConfig(convStem, 2, 2);
  }

  /** {@code config} with other training-noise rates. */
  public static ModelConfig withNoise(ModelConfig c, double dropout, double dropPath) {
    return new ModelConfig(c.version(), c.preset(), c.imageSize(), c.patchSize(), c.convStem(),
        c.encoderLayers(), c.encoderWidth(), c.encoderHeads(), c.encoderMlp(), c.decoderLayers(),
        c.decoderWidth(), c.decoderHeads(), c.decoderMlp(), c.maxSequenceLength(), dropout,
        dropPath, c.layerNormEpsilon());
  }

  /** {@code count} RGB images of {@code side} pixels with uniform random values in [0, 1). */
  public static List<ImageTensor> images(int count, int side, long seed) {
    Random random = new Random(seed);
    List<ImageTensor> out = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      float[] pixels = new float[3 * side * side];
      for (int p = 0; p < pixels.length; p++) {
        pixels[p] = random.nextFloat();
      }
      out.add(new ImageTensor(pixels, 3, side, side));
    }
    return out;
  }

  /** {@code rows} rows of {@code length} uniform random token ids below {@code vocab}. */
  public static int[][] tokens(int rows, int length, int vocab, long seed) {
    Random random = new Random(seed);
    int[][] out = new int[rows][length];
    for (int r = 0; r < rows; r++) {
      for (int t = 0; t < length; t++) {
        out[r][t] = random.nextInt(vocab);
      }
    }
    return out;
  }

  /** The index of the largest value ({@link LogitMath#argmax}). */
  public static int argmax(float[] row) {
    return LogitMath.argmax(row);
  }

  /** Largest absolute element-wise difference of two equally long rows. */
  public static float maxAbsDiff(float[] a, float[] b) {
    if (a.length != b.length) {
      throw new IllegalArgumentException("rows differ in length: " + a.length + ", " + b.length);
    }
    float max = 0;
    for (int i = 0; i < a.length; i++) {
      max = Math.max(max, Math.abs(a[i] - b[i]));
    }
    return max;
  }
}
