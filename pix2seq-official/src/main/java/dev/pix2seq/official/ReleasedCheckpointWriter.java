package dev.pix2seq.official;

import dev.pix2seq.api.CheckpointException;
import dev.pix2seq.api.checkpoint.NamedTensor;
import dev.pix2seq.api.config.ModelConfig;
import dev.pix2seq.api.network.ParameterLayout;
import dev.pix2seq.api.network.ParameterSpec;
import dev.pix2seq.official.bundle.TensorBundleWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Function;

/**
 * Writes a checkpoint in the layout of the official release ({@link ReleasedLayout}): the inverse
 * of {@link OfficialImport}, for tests, benchmarks and round trips. The official network can be
 * given as our weights by parameter name, or drawn at random ({@link #writeRandom}), one tensor at
 * a time, so that even a ViT-L checkpoint is written without holding it in memory.
 */
public final class ReleasedCheckpointWriter {

  private ReleasedCheckpointWriter() {}

  /**
   * Writes {@code prefix.index} and {@code prefix.data-00000-of-00001} (replacing them
   * atomically), with {@code global_step} and the counters a trainer writes beside the model.
   *
   * @param weights our values of each parameter of {@link ParameterLayout} for the config, by
   *     name (row-major, our shapes)
   * @throws CheckpointException if the files cannot be written
   * @throws IllegalArgumentException if a weight is missing or has another size
   */
  public static void write(Path prefix, ModelConfig config, int vocabSize, long step,
      Function<String, float[]> weights) throws CheckpointException {
    List<VariableMapping> mappings = ReleasedLayout.mappings(config, vocabSize);
    try (TensorBundleWriter out = TensorBundleWriter.create(prefix)) {
      for (VariableMapping m : mappings) {
        float[] ours = weights.apply(m.parameter());
        int expected = 1;
        for (int d : m.shape()) {
          expected *= d;
        }
        if (ours == null || ours.length != expected) {
          throw new IllegalArgumentException("weight '" + m.parameter() + "' needs " + expected
              + " values, found " + (ours == null ? "none" : ours.length));
        }
        List<float[]> official = m.conversion().toOfficial(ours, m.keyShapes());
        for (int i = 0; i < m.keys().size(); i++) {
          out.add(new NamedTensor(
              m.keys().get(i) + ReleasedLayout.VALUE_SUFFIX, m.keyShape(i), official.get(i)));
        }
      }
      out.addLongs("global_step" + ReleasedLayout.VALUE_SUFFIX, new long[0], new long[] {step});
      out.addLongs("save_counter" + ReleasedLayout.VALUE_SUFFIX, new long[0], new long[] {1});
      out.addString("_CHECKPOINTABLE_OBJECT_GRAPH",
          "written by pix2seq-java; not a TensorFlow object graph"
              .getBytes(StandardCharsets.UTF_8));
      out.finish();
    }
  }

  /**
   * Writes an official network of the given sizes with random weights drawn from {@code seed}:
   * linear and convolution weights normal with standard deviation {@code 1 / sqrt(fan-in)},
   * biases and LayerNorm offsets normal(0, 0.1), LayerNorm gains {@code 1 + normal(0, 0.2)},
   * token embeddings normal(0, 0.3), positions normal(0, 1). Every value differs, so a
   * transposed or swapped tensor shows in the logits.
   */
  public static void writeRandom(Path prefix, ModelConfig config, int vocabSize, long seed)
      throws CheckpointException {
    Map<String, int[]> shapes = new HashMap<>();
    for (ParameterSpec spec : ParameterLayout.of(config, vocabSize).specs()) {
      shapes.put(spec.name(), spec.shape());
    }
    write(prefix, config, vocabSize, seed, name -> randomValues(name, shapes.get(name), seed));
  }

  private static float[] randomValues(String name, int[] shape, long seed) {
    int count = 1;
    for (int d : shape) {
      count *= d;
    }
    double mean = 0;
    double std;
    if (name.equals(ParameterLayout.TOKEN_EMBEDDING)) {
      std = 0.3;
    } else if (name.equals(ParameterLayout.POSITION_EMBEDDING)) {
      std = 1.0;
    } else if (shape.length >= 2) {
      std = 1 / Math.sqrt(count / (double) shape[0]);
    } else if (name.endsWith("norm.weight")) {
      mean = 1;
      std = 0.2;
    } else {
      std = 0.1;
    }
    SplittableRandom random = new SplittableRandom(seed * 31 + name.hashCode());
    float[] values = new float[count];
    for (int i = 0; i < count; i++) {
      values[i] = (float) (mean + std * gaussian(random));
    }
    return values;
  }

  private static double gaussian(SplittableRandom random) {
    double u = 1 - random.nextDouble();
    double v = random.nextDouble();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }
}
