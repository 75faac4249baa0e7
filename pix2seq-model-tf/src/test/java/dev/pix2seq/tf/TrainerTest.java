package dev.pix2seq.tf;

import static dev.pix2seq.tf.TestFixtures.VOCAB;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pix2seq.api.CheckpointException;
import dev.pix2seq.api.checkpoint.NamedTensor;
import dev.pix2seq.api.checkpoint.SafeTensors;
import dev.pix2seq.api.config.ConfigIO;
import dev.pix2seq.api.config.Device;
import dev.pix2seq.api.config.ModelConfig;
import dev.pix2seq.api.config.TrainConfig;
import dev.pix2seq.api.model.Pix2seqModel;
import dev.pix2seq.api.training.ModelTrainer;
import dev.pix2seq.api.training.StepResult;
import dev.pix2seq.api.training.TrainingBatch;
import dev.pix2seq.api.training.WeightedBatch;
import dev.pix2seq.api.value.ImageTensor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainerTest {

  private static final TfBackend BACKEND = new TfBackend();
  /** One model (and training graph) for the tests without dropout; weights reset per test. */
  private static TfModel shared;
  private static Map<String, NamedTensor> initial;

  @BeforeAll
  static void createSharedModel() {
    shared = TfModel.create(TestFixtures.smallConfig(false), VOCAB, Device.CPU, 9);
    initial = new LinkedHashMap<>();
    for (NamedTensor t : shared.weightValues()) {
      initial.put(t.name(), t);
    }
  }

  @AfterAll
  static void closeSharedModel() {
    shared.close();
  }

  @BeforeEach
  void resetSharedWeights() {
    shared.weights().assign(shared.session(), initial);
  }

  private static Map<String, NamedTensor> sharedWeights() {
    Map<String, NamedTensor> out = new LinkedHashMap<>();
    for (NamedTensor t : shared.weightValues()) {
      out.put(t.name(), t);
    }
    return out;
  }

  private static TrainConfig trainConfig(double weightDecay, double clip) {
    TrainConfig d = TrainConfig.defaults();
    return new TrainConfig(d.version(), List.of("detect", "describe"), Map.of(), "summed", 100,
        3, 3e-3, weightDecay, 0.9, 0.95, 0, "constant", clip, 5L, 0, 10, Device.CPU, List.of());
  }

  /** {@code rows} random sequences: a prompt token then {@code length} teacher-forced tokens. */
  private static TrainingBatch batch(String task, int rows, int length, long seed) {
    int[][] sequences = TestFixtures.tokens(rows, length + 1, VOCAB, seed);
    int[][] inputs = new int[rows][];
    int[][] targets = new int[rows][];
    float[][] weights = new float[rows][length];
    for (int r = 0; r < rows; r++) {
      inputs[r] = Arrays.copyOfRange(sequences[r], 0, length);
      targets[r] = Arrays.copyOfRange(sequences[r], 1, length + 1);
      Arrays.fill(weights[r], 1f);
      weights[r][0] = 0.5f;
    }
    return new TrainingBatch(task, TestFixtures.images(rows, 32, seed), inputs, targets, weights);
  }

  private static List<WeightedBatch> mixedBatches() {
    return List.of(new WeightedBatch(batch("detect", 3, 10, 1), 1.0),
        new WeightedBatch(batch("describe", 3, 10, 2), 0.5));
  }

  @Test
  void overfitsOneSmallMixedBatch() {
    try (ModelTrainer trainer = BACKEND.trainer(shared, trainConfig(0.0, 1.0))) {
      List<WeightedBatch> batches = mixedBatches();
      StepResult first = trainer.step(batches, 3e-3);
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
    }
  }

  @Test
  void lossAndGradientsMatchTheReferenceMath(@TempDir Path dir) throws CheckpointException {
    ModelConfig config = TestFixtures.smallConfig(true);
    Map<String, NamedTensor> weights = TestFixtures.randomWeights(config, VOCAB, 23);
    TestFixtures.writeWeights(dir, weights);
    TrainingBatch detect = batch("detect", 2, 6, 3);
    detect.weights()[1][4] = 0;
    List<WeightedBatch> batches = List.of(new WeightedBatch(detect, 1.0),
        new WeightedBatch(batch("describe", 2, 4, 4), 0.5));
    double lr = 1e-3;
    StepResult result;
    try (Pix2seqModel model = BACKEND.load(dir, config, VOCAB, Device.CPU);
        ModelTrainer trainer = BACKEND.trainer(model, trainConfig(0, 0))) {
      result = trainer.step(batches, lr);
      trainer.saveState(dir.resolve("state"));
      model.saveWeights(dir.resolve("after"));
    }
    assertEquals(loss(new ReferenceNetwork(config, VOCAB, weights), batches), result.loss(),
        1e-4 * result.loss());
    Map<String, NamedTensor> moments =
        SafeTensors.read(dir.resolve("state/optimizer.safetensors")).tensors();
    double squaredNorm = 0;
    for (NamedTensor t : moments.values()) {
      if (t.name().startsWith("m.")) {
        for (float m : t.data()) {
          squaredNorm += Math.pow(m / 0.1, 2);
        }
      }
    }
    assertEquals(result.gradientNorm(), Math.sqrt(squaredNorm), 1e-4 * result.gradientNorm());
    String[] probes = {"encoder.stem.0.weight:5", "encoder.patch.weight:17",
        "encoder.layers.0.attention.qkv.weight:40", "encoder.layers.1.mlp.fc2.bias:3",
        "bridge.norm.weight:3", "decoder.position_embedding:69",
        "decoder.token_embedding:" + (detect.inputs()[0][1] * 32 + 7),
        "decoder.layers.1.cross_attention.key_value.bias:7",
        "decoder.layers.0.self_attention.qkv.weight:700", "decoder.output_bias:3"};
    for (String probe : probes) {
      String name = probe.substring(0, probe.indexOf(':'));
      int index = Integer.parseInt(probe.substring(probe.indexOf(':') + 1));
      double expected = finiteDifference(config, weights, batches, name, index);
      double actual = moments.get("m." + name).data()[index] / 0.1;
      assertEquals(expected, actual, 2e-4 + 1e-2 * Math.abs(expected), probe);
    }
    float[] before = weights.get("decoder.output_bias").data();
    float[] after = SafeTensors.read(dir.resolve("after/weights.safetensors")).tensors()
        .get("decoder.output_bias").data();
    float[] gradient = moments.get("m.decoder.output_bias").data();
    for (int i = 0; i < before.length; i++) {
      double g = gradient[i] / 0.1;
      assertEquals(-lr * g / (Math.abs(g) + 1e-8), after[i] - before[i], lr * 1e-3,
          "AdamW's first step moves by about the learning rate, output_bias[" + i + "]");
    }
  }

  private static double finiteDifference(ModelConfig config, Map<String, NamedTensor> weights,
      List<WeightedBatch> batches, String name, int index) {
    NamedTensor t = weights.get(name);
    float original = t.data()[index];
    float plus = (float) (original + 1e-3);
    float minus = (float) (original - 1e-3);
    Map<String, NamedTensor> changed = new LinkedHashMap<>(weights);
    float[] data = t.data().clone();
    data[index] = plus;
    changed.put(name, new NamedTensor(name, t.shape(), data));
    double up = loss(new ReferenceNetwork(config, VOCAB, changed), batches);
    data = t.data().clone();
    data[index] = minus;
    changed.put(name, new NamedTensor(name, t.shape(), data));
    double down = loss(new ReferenceNetwork(config, VOCAB, changed), batches);
    return (up - down) / ((double) plus - minus);
  }

  /** {@code sum_k weight_k * sum(ce * w) / sum(w)}, from the reference logits. */
  private static double loss(ReferenceNetwork reference, List<WeightedBatch> batches) {
    double total = 0;
    for (WeightedBatch wb : batches) {
      TrainingBatch b = wb.batch();
      double sum = 0;
      double weights = 0;
      for (int r = 0; r < b.size(); r++) {
        double[][] logits = reference.logits(b.images().get(r), b.inputs()[r]);
        for (int t = 0; t < b.length(); t++) {
          double max = Arrays.stream(logits[t]).max().orElseThrow();
          double z = 0;
          for (double l : logits[t]) {
            z += Math.exp(l - max);
          }
          double ce = max + Math.log(z) - logits[t][b.targets()[r][t]];
          sum += ce * b.weights()[r][t];
          weights += b.weights()[r][t];
        }
      }
      total += wb.weight() * sum / weights;
    }
    return total;
  }

  @Test
  void resumeContinuesExactly(@TempDir Path dir) throws CheckpointException {
    ModelConfig config = TestFixtures.withDropout(TestFixtures.smallConfig(true), 0.1, 0.1);
    TrainConfig train = trainConfig(0.05, 1.0);
    List<WeightedBatch> batches = List.of(new WeightedBatch(batch("detect", 3, 10, 1), 1.0),
        new WeightedBatch(batch("describe", 2, 7, 2), 0.5));
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
    List<WeightedBatch> batches = List.of(new WeightedBatch(batch("detect", 2, 10, 3), 1.0));
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
      resetSharedWeights();
      try (ModelTrainer trainer = BACKEND.trainer(shared, trainConfig(0, limit))) {
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
  void weightDecayShrinksOnlyMatrices() {
    double lr = 0.01;
    double decay = 0.5;
    Map<String, NamedTensor> before = initial;
    Map<String, Map<String, NamedTensor>> after = new LinkedHashMap<>();
    for (double wd : new double[] {0, decay}) {
      resetSharedWeights();
      try (ModelTrainer trainer = BACKEND.trainer(shared, trainConfig(wd, 0))) {
        trainer.step(mixedBatches(), lr);
        after.put("wd-" + wd, sharedWeights());
      }
    }
    Map<String, NamedTensor> plain = after.get("wd-0.0");
    Map<String, NamedTensor> decayed = after.get("wd-" + decay);
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
  void stateFilesUseTheBackendNeutralLayout(@TempDir Path dir) throws Exception {
    try (ModelTrainer trainer = BACKEND.trainer(shared, trainConfig(0, 0))) {
      trainer.step(mixedBatches(), 1e-3);
      trainer.saveState(dir);
    }
    JsonNode json = ConfigIO.mapper().readTree(Files.readAllBytes(dir.resolve("optimizer.json")));
    assertEquals("pix2seq-adamw-v1", json.get("format").asText());
    assertEquals("adamw", json.get("optimizer").asText());
    assertEquals(1, json.get("step").asLong());
    SafeTensors.Contents contents = SafeTensors.read(dir.resolve("optimizer.safetensors"));
    List<String> names = new ArrayList<>(contents.tensors().keySet());
    assertEquals("m.encoder.patch.weight", names.get(0));
    assertEquals("v.encoder.patch.weight", names.get(names.size() / 2));
    assertEquals("v.decoder.output_bias", names.get(names.size() - 1));
    assertEquals("pix2seq-adamw-v1", contents.metadata().get("pix2seq.format"));
  }

  @Test
  void nonFiniteGradientLeavesWeightsAndMomentsUnchanged(@TempDir Path dir) throws Exception {
    TrainingBatch clean = batch("detect", 2, 6, 5);
    List<ImageTensor> images = new ArrayList<>(clean.images());
    float[] pixels = images.get(1).pixels().clone();
    pixels[7] = Float.NaN;
    images.set(1, new ImageTensor(pixels, 3, 32, 32));
    TrainingBatch poisoned = new TrainingBatch("detect", images, clean.inputs(),
        clean.targets(), clean.weights());
    try (ModelTrainer trainer = BACKEND.trainer(shared, trainConfig(0.05, 1.0))) {
      trainer.step(List.of(new WeightedBatch(clean, 1.0)), 1e-3);
      trainer.saveState(dir.resolve("before"));
      Map<String, NamedTensor> before = sharedWeights();
      ArithmeticException e = assertThrows(ArithmeticException.class,
          () -> trainer.step(List.of(new WeightedBatch(poisoned, 1.0)), 1e-3));
      assertTrue(e.getMessage().contains("gradient norm is NaN"), e.getMessage());
      assertEquals(1, trainer.steps());
      assertEquals(before, sharedWeights());
      trainer.saveState(dir.resolve("after"));
      assertEquals(
          SafeTensors.read(dir.resolve("before/optimizer.safetensors")).tensors(),
          SafeTensors.read(dir.resolve("after/optimizer.safetensors")).tensors());
      assertTrue(Double.isFinite(
          trainer.step(List.of(new WeightedBatch(clean, 1.0)), 1e-3).loss()));
    }
  }

  @Test
  void damagedOptimizerStateIsRejected(@TempDir Path dir) throws Exception {
    try (ModelTrainer trainer = BACKEND.trainer(shared, trainConfig(0, 0))) {
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
