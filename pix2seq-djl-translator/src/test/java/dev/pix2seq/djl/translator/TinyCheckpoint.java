package dev.pix2seq.djl.translator;

import ai.djl.modality.cv.Image;
import ai.djl.modality.cv.ImageFactory;
import dev.pix2seq.api.config.Device;
import dev.pix2seq.api.config.ModelConfig;
import dev.pix2seq.api.config.TrainConfig;
import dev.pix2seq.data.synth.SceneOptions;
import dev.pix2seq.data.synth.SyntheticDatasetWriter;
import dev.pix2seq.data.synth.SyntheticSceneGenerator;
import dev.pix2seq.runtime.backend.Backends;
import dev.pix2seq.runtime.train.TrainingRun;
import dev.pix2seq.runtime.train.TrainingSummary;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** An untrained tiny training run on a few synthetic 64 px scenes, for the translator tests. */
final class TinyCheckpoint {
  /**
   * 64 px input, 16 image tokens, one layer each side, 36 positions: the 14 keypoints of the
   * synthetic persons fit, and training shrinks the other tasks to fit, so that an untrained
   * model, which rarely stops early, decodes short sequences.
   */
  static final ModelConfig MODEL = new ModelConfig(ModelConfig.CURRENT_VERSION, "tiny", 64, 16,
      true, 1, 32, 2, 64, 1, 32, 2, 64, 36, 0, 0, 1e-6);

  static final List<String> ALL_TASKS = List.of("detect", "segment", "keypoint", "describe");

  private TinyCheckpoint() {}

  /** Trains {@code tasks} for one step into {@code root/run}; returns the run directory. */
  static Path train(Path root, List<String> tasks) throws Exception {
    Path data = root.resolve("data");
    SceneOptions scenes = SceneOptions.defaults().withSize(64, 64).withSeed(3).withObjects(1, 3)
        .withPersonProbability(0.5);
    new SyntheticDatasetWriter(new SyntheticSceneGenerator(scenes)).write(data, 4);
    TrainConfig train = new TrainConfig(TrainConfig.CURRENT_VERSION, tasks, Map.of(), "summed",
        1, 2, 1e-3, 0.05, 0.9, 0.95, 1, "linear", 1.0, 11, 0, 1, Device.CPU, List.of());
    Path run = root.resolve("run");
    TrainingSummary summary = TrainingRun.builder().setDataset(data).setModelConfig(MODEL)
        .setTrainConfig(train).setBackend(Backends.discover().select("djl")).setOutput(run)
        .optTextVocabSize(60).build().run();
    if (!summary.completed()) {
      throw new IllegalStateException("the fixture run did not complete: " + summary);
    }
    return run;
  }

  /** A {@code width x height} RGB image with a colour gradient and a dark square, as DJL wraps it. */
  static Image image(int width, int height) {
    BufferedImage b = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        boolean square = x > width / 4 && x < width / 2 && y > height / 4 && y < height / 2;
        int r = square ? 20 : 255 * x / width;
        int g = square ? 20 : 255 * y / height;
        b.setRGB(x, y, (r << 16) | (g << 8) | 128);
      }
    }
    return ImageFactory.getInstance().fromImage(b);
  }
}
