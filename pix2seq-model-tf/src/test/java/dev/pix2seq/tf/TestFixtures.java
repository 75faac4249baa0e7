package dev.pix2seq.tf;

import dev.pix2seq.api.CheckpointException;
import dev.pix2seq.api.checkpoint.NamedTensor;
import dev.pix2seq.api.checkpoint.SafeTensors;
import dev.pix2seq.api.config.ModelConfig;
import dev.pix2seq.api.value.ImageTensor;
import dev.pix2seq.api.network.ParameterLayout;
import dev.pix2seq.api.network.ParameterSpec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** Small generated configs, images, token rows and weights for the backend's tests. */
final class TestFixtures {

  static final int VOCAB = 50;

  private TestFixtures() {}

  /** 32 px images, 8 px patches (16 image tokens), width 32, 2 heads, 2+2 layers. */
  static ModelConfig smallConfig(boolean convStem) {
    return new ModelConfig(ModelConfig.CURRENT_VERSION, "test", 32, 8, convStem,
        2, 32, 2, 64, 2, 32, 2, 64, 24, 0.0, 0.0, 1e-6);
  }

  static ModelConfig withDropout(ModelConfig c, double dropout, double dropPath) {
    return new ModelConfig(c.version(), c.preset(), c.imageSize(), c.patchSize(), c.convStem(),
        c.encoderLayers(), c.encoderWidth(), c.encoderHeads(), c.encoderMlp(), c.decoderLayers(),
        c.decoderWidth(), c.decoderHeads(), c.decoderMlp(), c.maxSequenceLength(), dropout,
        dropPath, c.layerNormEpsilon());
  }

  static List<ImageTensor> images(int count, int side, long seed) {
    Random random = new Random(seed);
    List<ImageTensor> out = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      float[] pixels = new float[3 * side * side];
      for (int p = 0; p < pixels.length; p++) {
        pixels[p] = random.nextFloat();
      }
      out.add(new ImageTensor(pixels, 3, side, side));
    }
    return out;
  }

  static int[][] tokens(int rows, int length, int vocab, long seed) {
    Random random = new Random(seed);
    int[][] out = new int[rows][length];
    for (int r = 0; r < rows; r++) {
      for (int t = 0; t < length; t++) {
        out[r][t] = random.nextInt(vocab);
      }
    }
    return out;
  }

  /**
   * Weights far from a fresh network's (every value random, gains around 1, biases and
   * positions non-zero), so that every parameter visibly changes the logits.
   */
  static Map<String, NamedTensor> randomWeights(ModelConfig config, int vocab, long seed) {
    Random random = new Random(seed);
    Map<String, NamedTensor> out = new LinkedHashMap<>();
    for (ParameterSpec spec : ParameterLayout.of(config, vocab).specs()) {
      float[] data = new float[spec.size()];
      boolean gain = spec.name().endsWith("norm.weight");
      double std = spec.shape().length >= 2 ? 1.0 / Math.sqrt(spec.fanIn()) : 0.2;
      if (spec.name().equals(ParameterLayout.TOKEN_EMBEDDING)
          || spec.name().equals(ParameterLayout.POSITION_EMBEDDING)) {
        std = 0.5;
      }
      for (int i = 0; i < data.length; i++) {
        data[i] = (float) ((gain ? 1 : 0) + std * random.nextGaussian());
      }
      out.put(spec.name(), new NamedTensor(spec.name(), spec.shape(), data));
    }
    return out;
  }

  /** Writes {@code weights} as {@code dir/weights.safetensors}. */
  static Path writeWeights(Path dir, Map<String, NamedTensor> weights)
      throws CheckpointException {
    SafeTensors.write(dir.resolve("weights.safetensors"), weights.values(), Map.of());
    return dir;
  }

  static int argmax(float[] row) {
    int best = 0;
    for (int i = 1; i < row.length; i++) {
      if (row[i] > row[best]) {
        best = i;
      }
    }
    return best;
  }

  static float maxAbsDiff(float[] a, float[] b) {
    float max = 0;
    for (int i = 0; i < a.length; i++) {
      max = Math.max(max, Math.abs(a[i] - b[i]));
    }
    return max;
  }
}
