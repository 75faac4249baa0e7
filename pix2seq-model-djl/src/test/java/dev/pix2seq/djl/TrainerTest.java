package dev.pix2seq.djl;

import static dev.pix2seq.djl.TestFixtures.VOCAB;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pix2seq.api.CheckpointException;
import dev.pix2seq.api.checkpoint.NamedTensor;
import dev.pix2seq.api.checkpoint.SafeTensors;
import dev.pix2seq.api.config.Device;
import dev.pix2seq.api.config.ModelConfig;
import dev.pix2seq.api.config.TrainConfig;
import dev.pix2seq.api.model.Pix2seqModel;
import dev.pix2seq.api.training.ModelTrainer;
import dev.pix2seq.api.training.StepResult;
import dev.pix2seq.api.training.TrainingBatch;
import dev.pix2seq.api.training.WeightedBatch;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainerTest {

  private static final DjlBackend BACKEND = new DjlBackend();

  private static TrainConfig trainConfig(double weightDecay, double clip) {
    TrainConfig d = TrainConfig.defaults();
    return new TrainConfig(d.version(), List.of("detect", "describe"), Map.of(), "summed", 100,
        3, 3e-3, weightDecay, 0.9, 0.95, 0, "constant", clip, 5L, 0, 10, Device.CPU, List.of());
  }

  /** A batch of {@code rows} random sequences: prompt token then 10 tokens, teacher-forced. */
  private static TrainingBatch batch(String task, int rows, long seed) {
    int[][] sequences = TestFixtures.tokens(rows, 11, VOCAB, seed);
    int[][] inputs = new int[rows][];
    int[][] targets = new int[rows][];
    float[][] weights = new float[rows][10];
    for (int r = 0; r < rows; r++) {
      inputs[r] = Arrays.copyOfRange(sequences[r], 0, 10);
      targets[r] = Arrays.copyOfRange(sequences[r], 1, 11);
      Arrays.fill(weights[r], 1f);
      weights[r][0] = 0.5f;
    }
    return new TrainingBatch(task, TestFixtures.images(rows, 32, seed), inputs, targets, weights);
  }

  private static List<WeightedBatch> mixedBatches() {
    return List.of(new WeightedBatch(batch("detect", 3, 1), 1.0),
        new WeightedBatch(batch("describe", 3, 2), 0.5));
  }

  @Test
  void overfitsOneSmallMixedBatchWithFlatMemory() {
    try (Pix2seqModel model = BACKEND.create(TestFixtures.smallConfig(false), VOCAB, Device.CPU,
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

  @Test
  void resumeContinuesExactly(@TempDir Path dir) throws CheckpointException {
    ModelConfig config = TestFixtures.withDropout(TestFixtures.smallConfig(true), 0.1, 0.1);
    TrainConfig train = trainConfig(0.05, 1.0);
    List<WeightedBatch> batches = mixedBatches();
    double[] uninterrupted = new double[6];
    try (Pix2seqModel model = BACKEND.create(config, VOCAB, Device.CPU, 4);
        ModelTrainer trainer = BACKEND.trainer(model, train)) {
      for (int i = 0; i < 6; i++) {
        uninterrupted[i] = trainer.step(batches, 1e-3 * (i + 1)).loss();
        if (i == 2) {
          model.saveWeights(dir);
          trainer.saveState(dir.resolve("train-state"));
        }
      }
    }
    assertTrue(Files.exists(dir.resolve("train-state/optimizer.safetensors")));
    assertTrue(Files.exists(dir.resolve("train-state/optimizer.json")));
    try (Pix2seqModel model = BACKEND.load(dir, config, VOCAB, Device.CPU);
        ModelTrainer trainer = BACKEND.trainer(model, train)) {
      trainer.loadState(dir.resolve("train-state"));
      assertEquals(3, trainer.steps());
      for (int i = 3; i < 6; i++) {
        StepResult r = trainer.step(batches, 1e-3 * (i + 1));
        assertEquals(uninterrupted[i], r.loss(), 0.0, "step " + (i + 1));
        assertEquals(i + 1, r.step());
      }
    }
    assertNotEquals(uninterrupted[3], uninterrupted[4]);
  }

  @Test
  void dropoutMasksDependOnTheStep() {
    ModelConfig config = TestFixtures.withDropout(TestFixtures.smallConfig(false), 0.3, 0.0);
    List<WeightedBatch> batches = List.of(new WeightedBatch(batch("detect", 2, 3), 1.0));
    try (Pix2seqModel model = BACKEND.create(config, VOCAB, Device.CPU, 4);
        ModelTrainer trainer = BACKEND.trainer(model, trainConfig(0, 0))) {
      double a = trainer.step(batches, 1e-12).loss();
      double b = trainer.step(batches, 1e-12).loss();
      assertNotEquals(a, b, "different steps draw different dropout masks");
    }
  }

  @Test
  void clippingScalesTheGradientToTheClipNorm(@TempDir Path dir) throws CheckpointException {
    double clip = 1e-3;
    for (double limit : new double[] {clip, 0}) {
      try (Pix2seqModel model = BACKEND.create(TestFixtures.smallConfig(false), VOCAB,
              Device.CPU, 2);
          ModelTrainer trainer = BACKEND.trainer(model, trainConfig(0, limit))) {
        StepResult r = trainer.step(mixedBatches(), 1e-3);
        assertTrue(r.gradientNorm() > 100 * clip, "pre-clip norm " + r.gradientNorm());
        Path state = dir.resolve("limit-" + limit);
        trainer.saveState(state);
        double firstMomentNorm = 0;
        for (NamedTensor t : SafeTensors.read(state.resolve("optimizer.safetensors"))
            .tensors().values()) {
          if (t.name().startsWith("m.")) {
            for (float v : t.data()) {
              firstMomentNorm += (double) v * v;
            }
          }
        }
        double expected = 0.1 * (limit > 0 ? clip : r.gradientNorm());
        assertEquals(expected, Math.sqrt(firstMomentNorm), expected * 1e-3,
            "after one step m = (1 - beta1) * clipped gradient, limit " + limit);
      }
    }
  }

  @Test
  void weightDecayShrinksOnlyMatrices(@TempDir Path dir) throws CheckpointException {
    double lr = 0.01;
    double decay = 0.5;
    Map<String, NamedTensor> before;
    Map<String, NamedTensor> plain;
    Map<String, NamedTensor> decayed;
    try (Pix2seqModel model = BACKEND.create(TestFixtures.smallConfig(false), VOCAB, Device.CPU,
        9)) {
      model.saveWeights(dir.resolve("before"));
    }
    before = SafeTensors.read(dir.resolve("before/weights.safetensors")).tensors();
    for (double wd : new double[] {0, decay}) {
      try (Pix2seqModel model = BACKEND.create(TestFixtures.smallConfig(false), VOCAB,
              Device.CPU, 9);
          ModelTrainer trainer = BACKEND.trainer(model, trainConfig(wd, 0))) {
        trainer.step(mixedBatches(), lr);
        model.saveWeights(dir.resolve("wd-" + wd));
      }
    }
    plain = SafeTensors.read(dir.resolve("wd-0.0/weights.safetensors")).tensors();
    decayed = SafeTensors.read(dir.resolve("wd-" + decay + "/weights.safetensors")).tensors();
    for (String name : List.of("decoder.position_embedding", "encoder.norm.weight",
        "decoder.layers.0.mlp.fc1.bias", "decoder.output_bias")) {
      assertArrayEquals(plain.get(name).data(), decayed.get(name).data(), name);
    }
    for (String name : List.of("decoder.layers.0.mlp.fc1.weight", "decoder.token_embedding",
        "encoder.patch.weight")) {
      float[] p0 = before.get(name).data();
      float[] a = plain.get(name).data();
      float[] b = decayed.get(name).data();
      for (int i = 0; i < p0.length; i++) {
        assertEquals(a[i] - lr * decay * p0[i], b[i], 1e-6, name + "[" + i + "]");
      }
    }
  }

  @Test
  void damagedOptimizerStateIsRejected(@TempDir Path dir) throws Exception {
    try (Pix2seqModel model = BACKEND.create(TestFixtures.smallConfig(false), VOCAB, Device.CPU,
            9);
        ModelTrainer trainer = BACKEND.trainer(model, trainConfig(0, 0))) {
      trainer.saveState(dir);
      Files.writeString(dir.resolve("optimizer.json"), "{\"step\": -1}");
      CheckpointException e = assertThrows(CheckpointException.class,
          () -> trainer.loadState(dir));
      assertTrue(e.getMessage().contains("'step'"), e.getMessage());
      trainer.saveState(dir);
      List<NamedTensor> tensors = new ArrayList<>(
          SafeTensors.read(dir.resolve("optimizer.safetensors")).tensors().values());
      tensors.remove(0);
      SafeTensors.write(dir.resolve("optimizer.safetensors"), tensors, Map.of());
      e = assertThrows(CheckpointException.class, () -> trainer.loadState(dir));
      assertTrue(e.getMessage().contains("'m.encoder.patch.weight' is missing"), e.getMessage());
    }
  }
}
