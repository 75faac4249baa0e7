package dev.pix2seq.tf;

import static dev.pix2seq.api.testing.ModelFixtures.VOCAB;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pix2seq.api.CheckpointException;
import dev.pix2seq.api.checkpoint.NamedTensor;
import dev.pix2seq.api.checkpoint.SafeTensors;
import dev.pix2seq.api.config.Device;
import dev.pix2seq.api.config.ModelConfig;
import dev.pix2seq.api.config.TrainConfig;
import dev.pix2seq.api.model.Pix2seqModel;
import dev.pix2seq.api.testing.ModelFixtures;
import dev.pix2seq.api.training.ModelTrainer;
import dev.pix2seq.api.training.StepResult;
import dev.pix2seq.api.training.TrainingBatch;
import dev.pix2seq.api.training.WeightedBatch;
import dev.pix2seq.api.value.ImageTensor;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What only the TensorFlow backend's trainer can show. The training behaviour every backend shares
 * (overfitting, resume, dropout by step, clipping, weight decay, the optimizer state files) is
 * checked by the contract suite in pix2seq-backend-tests.
 */
class TrainerTest {

  private static final TfBackend BACKEND = new TfBackend();
  /** One model (and training graph) for the tests without dropout; weights reset per test. */
  private static TfModel shared;
  private static Map<String, NamedTensor> initial;

  @BeforeAll
  static void createSharedModel() {
    shared = (TfModel) BACKEND.create(ModelFixtures.smallConfig(false), VOCAB, Device.CPU, 9);
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
    shared.assignWeights(initial);
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
    int[][] sequences = ModelFixtures.tokens(rows, length + 1, VOCAB, seed);
    int[][] inputs = new int[rows][];
    int[][] targets = new int[rows][];
    float[][] weights = new float[rows][length];
    for (int r = 0; r < rows; r++) {
      inputs[r] = Arrays.copyOfRange(sequences[r], 0, length);
      targets[r] = Arrays.copyOfRange(sequences[r], 1, length + 1);
      Arrays.fill(weights[r], 1f);
      weights[r][0] = 0.5f;
    }
    return new TrainingBatch(task, ModelFixtures.images(rows, 32, seed), inputs, targets, weights);
  }

  private static List<WeightedBatch> mixedBatches() {
    return List.of(new WeightedBatch(batch("detect", 3, 10, 1), 1.0),
        new WeightedBatch(batch("describe", 3, 10, 2), 0.5));
  }

  @Test
  void lossAndGradientsMatchTheReferenceMath(@TempDir Path dir) throws CheckpointException {
    ModelConfig config = ModelFixtures.smallConfig(true);
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

}
