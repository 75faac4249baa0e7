package dev.pix2seq.runtime.train;

import dev.pix2seq.api.config.Device;
import dev.pix2seq.api.config.ModelConfig;
import dev.pix2seq.api.config.TrainConfig;
import dev.pix2seq.data.synth.SceneOptions;
import dev.pix2seq.data.synth.SyntheticDatasetWriter;
import dev.pix2seq.data.synth.SyntheticSceneGenerator;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** Small synthetic datasets and configs for the training tests. */
final class TrainFixtures {
  /** 32 px input, 128 positions (so detection's default 100 objects must shrink to 25). */
  static final ModelConfig MODEL = new ModelConfig(ModelConfig.CURRENT_VERSION, "test", 32, 16,
      true, 1, 32, 2, 64, 1, 32, 2, 64, 128, 0, 0, 1e-6);

  private TrainFixtures() {}

  /** A synthetic dataset of {@code images} 48 x 48 scenes with about 30 % persons. */
  static Path dataset(Path root, int images) throws IOException {
    SceneOptions o = SceneOptions.defaults().withSize(48, 48).withSeed(5).withObjects(1, 4)
        .withPersonProbability(0.4);
    new SyntheticDatasetWriter(new SyntheticSceneGenerator(o)).write(root, images);
    return root;
  }

  static TrainConfig train(List<String> tasks, Map<String, Double> weights, String mixing,
      int steps, int batchSize, long seed, int checkpointEvery, int logEvery) {
    return new TrainConfig(TrainConfig.CURRENT_VERSION, tasks, weights, mixing, steps,
        batchSize, 1e-2, 0.05, 0.9, 0.95, 2, "linear", 1.0, seed, checkpointEvery, logEvery,
        Device.CPU, List.of());
  }
}
