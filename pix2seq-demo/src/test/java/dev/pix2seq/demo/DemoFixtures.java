package dev.pix2seq.demo;

import dev.pix2seq.api.config.ModelConfig;
import dev.pix2seq.data.synth.SceneOptions;
import dev.pix2seq.data.synth.SyntheticDatasetWriter;
import dev.pix2seq.data.synth.SyntheticSceneGenerator;
import dev.pix2seq.tasks.TaskOptions;
import dev.pix2seq.tasks.describe.DescribeOptions;
import dev.pix2seq.tasks.detect.DetectionOptions;
import dev.pix2seq.tasks.segment.SegmentationOptions;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/** Small synthetic datasets, a tiny model and a recipe that runs the demo in seconds. */
public final class DemoFixtures {
  /** 64 px input, 16 image tokens, one layer of width 32 on each side, 128 positions. */
  public static final ModelConfig TINY_MODEL = new ModelConfig(ModelConfig.CURRENT_VERSION,
      "test", 64, 16, true, 1, 32, 2, 64, 1, 32, 2, 64, 128, 0, 0, 1e-6);

  /** Scenes of 64 px with 1 to 3 objects, half of them stick figures. */
  public static final SceneOptions SCENES = SceneOptions.defaults().withSize(64, 64)
      .withSeed(11).withObjects(1, 3).withPersonProbability(0.5);

  /** Short sequences, so that an untrained model stops soon. */
  public static final Map<String, TaskOptions> SHORT_TASKS = Map.of(
      "detect", DetectionOptions.defaults().withMaxObjects(3),
      "segment", SegmentationOptions.defaults().withMaxPoints(8),
      "describe", DescribeOptions.defaults().withMaxCaptionTokens(10));

  private DemoFixtures() {}

  /** Writes {@code images} scenes of {@link #SCENES} with the given seed. */
  public static Path dataset(Path root, long seed, int images) throws IOException {
    new SyntheticDatasetWriter(new SyntheticSceneGenerator(SCENES.withSeed(seed)))
        .write(root, images);
    return root;
  }

  /** The demo in seconds: 6 + 4 images of 64 px, the tiny model, 4 steps of 2 images. */
  public static DemoRecipe tinyRecipe() {
    DemoRecipe d = DemoRecipe.defaults();
    return d.withModel(TINY_MODEL)
        .withCoordBins(64)
        .withScenes(SCENES)
        .withImages(6, 4)
        .withTraining(4, 2, 1e-3, 1)
        .withTaskOptions(SHORT_TASKS)
        .withTextVocabSize(100)
        .withBudget(Duration.ofMinutes(2))
        .withEvaluation(4, 1, 1);
  }
}
