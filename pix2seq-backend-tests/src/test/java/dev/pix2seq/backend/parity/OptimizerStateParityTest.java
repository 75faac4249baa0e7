package dev.pix2seq.backend.parity;

import static dev.pix2seq.backend.contract.ContractFixtures.IMAGE_SIZE;
import static dev.pix2seq.backend.contract.ContractFixtures.VOCAB;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pix2seq.api.checkpoint.SafeTensors;
import dev.pix2seq.api.config.ConfigIO;
import dev.pix2seq.api.config.Device;
import dev.pix2seq.api.config.ModelConfig;
import dev.pix2seq.api.config.TrainConfig;
import dev.pix2seq.api.model.Backend;
import dev.pix2seq.api.model.Pix2seqModel;
import dev.pix2seq.api.training.ModelTrainer;
import dev.pix2seq.api.training.StepResult;
import dev.pix2seq.api.training.WeightedBatch;
import dev.pix2seq.backend.Engines;
import dev.pix2seq.backend.contract.ContractFixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Training state moves between engines: from the same weights both engines' AdamW steps give
 * the same losses and gradient norms (within float32 rounding); the optimiser state one engine
 * saves after a few steps loads in the other, which writes it back unchanged and continues
 * training with the losses the first engine gets.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OptimizerStateParityTest {

  /** Relative difference allowed between the engines' losses and gradient norms. */
  private static final double RELATIVE_TOLERANCE = 1e-3;

  private static final int SHARED_STEPS = 3;
  private static final int CONTINUED_STEPS = 3;

  private final Engines engines = new Engines();
  private final Map<String, Double> measured = new TreeMap<>();

  @AfterAll
  void reportDifferences() {
    measured.forEach((what, diff) ->
        System.out.printf("training parity max relative difference %-45s %.3e%n", what, diff));
  }

  Stream<EnginePair> enginePairs() {
    return EnginePair.BOTH_WAYS.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("enginePairs")
  void optimizerStateSavedByOneEngineContinuesInTheOther(EnginePair pair, @TempDir Path dir)
      throws Exception {
    Backend sourceEngine = engines.require(pair.source());
    Backend targetEngine = engines.require(pair.target());
    ModelConfig config = ContractFixtures.tinyConfig(true, 1, 1);
    TrainConfig train = ContractFixtures.trainConfig(0.05, 1.0);
    List<WeightedBatch> batches = ContractFixtures.mixedBatches(IMAGE_SIZE, VOCAB);
    Path start = dir.resolve("start");
    Path resumed = dir.resolve("resumed");
    try (Pix2seqModel source = sourceEngine.create(config, VOCAB, Device.CPU, pair.seed(21));
        ModelTrainer sourceTrainer = sourceEngine.trainer(source, train)) {
      source.saveWeights(start);
      try (Pix2seqModel target = targetEngine.load(start, config, VOCAB, Device.CPU);
          ModelTrainer targetTrainer = targetEngine.trainer(target, train)) {
        for (int i = 0; i < SHARED_STEPS; i++) {
          compare(pair, "from the same weights", sourceTrainer.step(batches, rate(i)),
              targetTrainer.step(batches, rate(i)));
        }
      }
      source.saveWeights(resumed);
      sourceTrainer.saveState(resumed.resolve("train-state"));
      try (Pix2seqModel target = targetEngine.load(resumed, config, VOCAB, Device.CPU);
          ModelTrainer targetTrainer = targetEngine.trainer(target, train)) {
        targetTrainer.loadState(resumed.resolve("train-state"));
        assertEquals(SHARED_STEPS, targetTrainer.steps());
        Path rewritten = dir.resolve("rewritten");
        targetTrainer.saveState(rewritten);
        assertEquals(
            SafeTensors.read(resumed.resolve("train-state/optimizer.safetensors")).tensors(),
            SafeTensors.read(rewritten.resolve("optimizer.safetensors")).tensors(),
            pair + ": the loading engine writes back exactly the moments it read");
        JsonNode json =
            ConfigIO.mapper().readTree(Files.readAllBytes(rewritten.resolve("optimizer.json")));
        assertEquals(SHARED_STEPS, json.path("step").asLong(-1), json.toString());
        for (int i = SHARED_STEPS; i < SHARED_STEPS + CONTINUED_STEPS; i++) {
          StepResult expected = sourceTrainer.step(batches, rate(i));
          StepResult actual = targetTrainer.step(batches, rate(i));
          assertEquals(i + 1, actual.step());
          compare(pair, "after loading the state", expected, actual);
        }
      }
    }
  }

  private static double rate(int step) {
    return 1e-3 * (step + 1);
  }

  private void compare(EnginePair pair, String phase, StepResult expected, StepResult actual) {
    assertEquals(expected.step(), actual.step());
    double loss = relative(expected.loss(), actual.loss());
    double norm = relative(expected.gradientNorm(), actual.gradientNorm());
    measured.merge(pair + " " + phase + " loss", loss, Math::max);
    measured.merge(pair + " " + phase + " grad norm", norm, Math::max);
    String what = pair + " " + phase + ", step " + actual.step() + ": ";
    assertTrue(loss < RELATIVE_TOLERANCE,
        what + "loss " + expected.loss() + " vs " + actual.loss());
    assertTrue(norm < RELATIVE_TOLERANCE,
        what + "gradient norm " + expected.gradientNorm() + " vs " + actual.gradientNorm());
  }

  private static double relative(double expected, double actual) {
    return Math.abs(expected - actual) / Math.max(1e-12, Math.abs(expected));
  }
}
