package dev.pix2seq.djl;

import static dev.pix2seq.api.testing.ModelFixtures.VOCAB;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pix2seq.api.config.Device;
import dev.pix2seq.api.config.TrainConfig;
import dev.pix2seq.api.model.Pix2seqModel;
import dev.pix2seq.api.testing.ModelFixtures;
import dev.pix2seq.api.training.ModelTrainer;
import dev.pix2seq.api.training.StepResult;
import dev.pix2seq.api.training.TrainingBatch;
import dev.pix2seq.api.training.WeightedBatch;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * What only the DJL backend's trainer can show. The training behaviour every backend shares
 * (overfitting, resume, dropout by step, clipping, weight decay, the optimizer state files) is
 * checked by the contract suite in pix2seq-backend-tests.
 */
class TrainerTest {

  private static final DjlBackend BACKEND = new DjlBackend();

  private static TrainConfig trainConfig(double weightDecay, double clip) {
    TrainConfig d = TrainConfig.defaults();
    return new TrainConfig(d.version(), List.of("detect", "describe"), Map.of(), "summed", 100,
        3, 3e-3, weightDecay, 0.9, 0.95, 0, "constant", clip, 5L, 0, 10, Device.CPU, List.of());
  }

  /** A batch of {@code rows} random sequences: prompt token then 10 tokens, teacher-forced. */
  private static TrainingBatch batch(String task, int rows, long seed) {
    int[][] sequences = ModelFixtures.tokens(rows, 11, VOCAB, seed);
    int[][] inputs = new int[rows][];
    int[][] targets = new int[rows][];
    float[][] weights = new float[rows][10];
    for (int r = 0; r < rows; r++) {
      inputs[r] = Arrays.copyOfRange(sequences[r], 0, 10);
      targets[r] = Arrays.copyOfRange(sequences[r], 1, 11);
      Arrays.fill(weights[r], 1f);
      weights[r][0] = 0.5f;
    }
    return new TrainingBatch(task, ModelFixtures.images(rows, 32, seed), inputs, targets, weights);
  }

  private static List<WeightedBatch> mixedBatches() {
    return List.of(new WeightedBatch(batch("detect", 3, 1), 1.0),
        new WeightedBatch(batch("describe", 3, 2), 0.5));
  }

  @Test
  void overfitsOneSmallMixedBatchWithFlatMemory() {
    try (Pix2seqModel model = BACKEND.create(ModelFixtures.smallConfig(false), VOCAB, Device.CPU,
            11);
        ModelTrainer trainer = BACKEND.trainer(model, trainConfig(0.0, 1.0))) {
      List<WeightedBatch> batches = mixedBatches();
      DjlModel djl = (DjlModel) model;
      StepResult first = trainer.step(batches, 3e-3);
      int arrays = djl.manager().getManagedArrays().size();
      StepResult last = first;
      int steps = 1;
      while (last.loss() >= 0.05 && steps < 400) {
        last = trainer.step(batches, 3e-3);
        steps++;
      }
      assertTrue(last.loss() < 0.05, "loss after " + steps + " steps: " + last.loss());
      assertTrue(first.loss() > 3.0, "first loss near ln(50) = 3.9, found " + first.loss());
      assertEquals(steps, trainer.steps());
      assertEquals(Set.of("detect", "describe"), last.taskLosses().keySet());
      double combined = last.taskLosses().get("detect") + 0.5 * last.taskLosses().get("describe");
      assertEquals(combined, last.loss(), 1e-6);
      assertEquals(arrays, djl.manager().getManagedArrays().size(), "live arrays after training");
    }
  }

}
