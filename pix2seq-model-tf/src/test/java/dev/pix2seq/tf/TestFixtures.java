package dev.pix2seq.tf;

import dev.pix2seq.api.CheckpointException;
import dev.pix2seq.api.checkpoint.NamedTensor;
import dev.pix2seq.api.checkpoint.SafeTensors;
import dev.pix2seq.api.config.ModelConfig;
import dev.pix2seq.api.network.ParameterLayout;
import dev.pix2seq.api.network.ParameterSpec;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/** Small generated configs, images, token rows and weights for the backend's tests. */
final class TestFixtures {

  private TestFixtures() {}

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

}
