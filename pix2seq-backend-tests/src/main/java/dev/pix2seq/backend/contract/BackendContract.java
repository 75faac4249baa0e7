package dev.pix2seq.backend.contract;

import static dev.pix2seq.backend.contract.ContractFixtures.EOS;
import static dev.pix2seq.backend.contract.ContractFixtures.IMAGE_SIZE;
import static dev.pix2seq.backend.contract.ContractFixtures.VOCAB;
import static dev.pix2seq.backend.contract.ContractFixtures.argmax;
import static dev.pix2seq.backend.contract.ContractFixtures.images;
import static dev.pix2seq.backend.contract.ContractFixtures.maxAbsDiff;
import static dev.pix2seq.backend.contract.ContractFixtures.tokens;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.inject.Guice;
import dev.pix2seq.api.CheckpointException;
import dev.pix2seq.api.checkpoint.NamedTensor;
import dev.pix2seq.api.checkpoint.SafeTensors;
import dev.pix2seq.api.config.ConfigIO;
import dev.pix2seq.api.config.Device;
import dev.pix2seq.api.config.ModelConfig;
import dev.pix2seq.api.config.TrainConfig;
import dev.pix2seq.api.generation.GenerationRequest;
import dev.pix2seq.api.generation.SequenceGenerator;
import dev.pix2seq.api.model.Backend;
import dev.pix2seq.api.model.BackendProvider;
import dev.pix2seq.api.model.DecodingSession;
import dev.pix2seq.api.model.ImageFeatures;
import dev.pix2seq.api.model.Pix2seqModel;
import dev.pix2seq.api.network.InitialWeights;
import dev.pix2seq.api.network.ParameterLayout;
import dev.pix2seq.api.sampling.SamplerSpec;
import dev.pix2seq.api.training.ModelTrainer;
import dev.pix2seq.api.training.StepResult;
import dev.pix2seq.api.training.TrainingBatch;
import dev.pix2seq.api.training.WeightedBatch;
import dev.pix2seq.api.value.TokenSequence;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.opentest4j.TestAbortedException;

/**
 * The behaviour every {@link Backend} must show, written once: a backend's test module
 * subclasses this and names the backend, and JUnit runs every test below against it. Tiny
 * generated models keep the suite at a few seconds per backend on a 2-core CPU.
 *
 * <pre>{@code
 * class DjlBackendContractTest extends BackendContract {
 *   @Override
 *   protected Backend backend() {
 *     return new DjlBackend();
 *   }
 * }
 * }</pre>
 *
 * <p>What it checks: training overfits one batch; cached (incremental) decoding reproduces a full
 * recompute; {@link DecodingSession#select(int[])} keeps, reorders, repeats and drops rows;
 * saved weights reload to bit-identical logits; training resumed from saved weights and
 * optimiser state repeats the uninterrupted losses exactly; generation with every sampler kind
 * respects its constraint; damaged or mismatched weight files are rejected with a {@link
 * CheckpointException} naming the file; hundreds of feeds stay finite and deterministic.
 *
 * <p>One instance serves the whole class ({@link TestInstance.Lifecycle#PER_CLASS}): {@link
 * #backend()} is called once, before any test, and may fail an assumption when the backend is
 * not available; every test is then reported as skipped with that reason.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class BackendContract {

  /** Largest difference allowed between cached and recomputed logits. */
  protected static final float CACHE_TOLERANCE = 1e-5f;

  /** The loss overfitting one batch must reach. */
  protected static final double OVERFIT_LOSS = 0.05;

  private static final int OVERFIT_MAX_STEPS = 400;
  private static final String WEIGHTS_FILE = "weights.safetensors";

  /** No convolutional stem, 1 encoder and 2 decoder layers. */
  private static final ModelConfig PATCH = ContractFixtures.tinyConfig(false, 1, 2);

  /** Convolutional stem (two stride-2 stages for 8 px patches), 2 encoder and 1 decoder layer. */
  private static final ModelConfig STEM = ContractFixtures.tinyConfig(true, 2, 1);

  private Backend backend;
  private Pix2seqModel patchModel;
  private Pix2seqModel stemModel;
  private Path saved;
  private TestAbortedException unavailable;

  /**
   * The backend under test. Called once per test class, before any test; may fail an {@link
   * org.junit.jupiter.api.Assumptions assumption} when the backend is not on the class path,
   * which reports every test of the class as skipped.
   */
  protected abstract Backend backend();

  @BeforeAll
  void createModels(@TempDir Path dir) throws CheckpointException {
    try {
      backend = backend();
    } catch (TestAbortedException e) {
      unavailable = e;
      return;
    }
    patchModel = backend.create(PATCH, VOCAB, Device.CPU, 7);
    stemModel = backend.create(STEM, VOCAB, Device.CPU, 8);
    saved = dir.resolve("saved");
    patchModel.saveWeights(saved);
  }

  /** Reports every test as skipped, with the reason, when {@link #backend()} aborted. */
  @BeforeEach
  void requireBackend() {
    if (unavailable != null) {
      throw unavailable;
    }
  }

  @AfterAll
  void closeModels() {
    if (stemModel != null) {
      stemModel.close();
    }
    if (patchModel != null) {
      patchModel.close();
    }
  }

  private Pix2seqModel model(boolean convStem) {
    return convStem ? stemModel : patchModel;
  }

  @Test
  void theServiceLoaderFindsTheBackendByItsName() {
    List<BackendProvider> named = ServiceLoader.load(BackendProvider.class).stream()
        .map(ServiceLoader.Provider::get)
        .filter(p -> p.name().equals(backend.name()))
        .toList();
    assertEquals(1, named.size(), "one provider named '" + backend.name() + "'");
    Backend bound = Guice.createInjector(named.get(0).module())
        .getInstance(Backend.class);
    assertEquals(backend.getClass(), bound.getClass());
    assertEquals(backend.name(), bound.name());
  }

  @Test
  void widthsMustSuitTheSinCosPositions() {
    ModelConfig odd = new ModelConfig(ModelConfig.CURRENT_VERSION, "odd", IMAGE_SIZE, 8, false,
        1, 30, 2, 64, 1, 32, 2, 64, 24, 0, 0, 1e-6);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> backend.create(odd, 10, Device.CPU, 1).close());
    assertTrue(e.getMessage().contains("multiples of 4"), e.getMessage());
  }

  @Test
  void aGpuIsUsedOrItsAbsenceIsOneClearError() {
    try (Pix2seqModel onGpu = backend.create(PATCH, VOCAB, Device.GPU, 1)) {
      assertEquals(VOCAB, onGpu.vocabSize(), "a GPU is there and used");
    } catch (IllegalArgumentException e) {
      assertTrue(e.getMessage().contains("no usable GPU"), e.getMessage());
    }
  }

  @Test
  void modelsReportTheirArchitectureAndVocabulary() {
    assertFalse(backend.name().isBlank(), "backend name");
    assertEquals(PATCH, patchModel.config());
    assertEquals(STEM, stemModel.config());
    assertEquals(VOCAB, patchModel.vocabSize());
    assertEquals(PATCH.maxSequenceLength(), patchModel.decoder().maxSequenceLength());
  }

  // ---- training ----

  @Test
  void trainingOverfitsOneMixedBatch() {
    List<WeightedBatch> batches = ContractFixtures.mixedBatches(IMAGE_SIZE, VOCAB);
    double rate = 3e-3;
    try (Pix2seqModel model = backend.create(PATCH, VOCAB, Device.CPU, 11);
        ModelTrainer trainer = backend.trainer(model, ContractFixtures.trainConfig(0.0, 1.0))) {
      assertEquals(0, trainer.steps());
      StepResult first = trainer.step(batches, rate);
      assertEquals(1, first.step());
      assertTrue(first.loss() > 3.0 && first.loss() < 6.0,
          "an untrained model's loss is near ln(" + VOCAB + ") = 3.9 per task, found "
              + first.loss());
      StepResult last = first;
      while (last.loss() >= OVERFIT_LOSS && last.step() < OVERFIT_MAX_STEPS) {
        last = trainer.step(batches, rate);
      }
      assertTrue(last.loss() < OVERFIT_LOSS,
          "loss after " + last.step() + " steps: " + last.loss() + ", first " + first.loss());
      assertEquals(last.step(), trainer.steps());
      assertEquals(rate, last.learningRate(), 1e-12);
      assertTrue(Double.isFinite(last.gradientNorm()) && last.gradientNorm() > 0,
          "gradient norm " + last.gradientNorm());
      assertEquals(Set.of("detect", "describe"), last.taskLosses().keySet());
      double combined = last.taskLosses().get("detect") + 0.5 * last.taskLosses().get("describe");
      assertEquals(combined, last.loss(), 1e-5 + 1e-4 * combined,
          "step loss = sum of task weight * task loss");
      for (WeightedBatch b : batches) {
        double loss = teacherForcedLoss(model, b.batch());
        assertTrue(loss < 2 * OVERFIT_LOSS,
            "the trained weights serve inference: " + b.batch().task() + " loss " + loss);
      }
    }
  }

  /** {@code sum(ce * w) / sum(w)} of {@code batch}, from the model's inference logits. */
  private static double teacherForcedLoss(Pix2seqModel model, TrainingBatch batch) {
    int[] imageOfRow = new int[batch.size()];
    Arrays.setAll(imageOfRow, r -> r);
    try (ImageFeatures features = model.encoder().encode(batch.images())) {
      float[][][] logits = model.decoder().logits(features, imageOfRow, batch.inputs());
      double weighted = 0;
      double weights = 0;
      for (int r = 0; r < batch.size(); r++) {
        for (int t = 0; t < batch.length(); t++) {
          float[] row = logits[r][t];
          double max = Double.NEGATIVE_INFINITY;
          for (float v : row) {
            max = Math.max(max, v);
          }
          double sum = 0;
          for (float v : row) {
            sum += Math.exp(v - max);
          }
          double ce = max + Math.log(sum) - row[batch.targets()[r][t]];
          weighted += ce * batch.weights()[r][t];
          weights += batch.weights()[r][t];
        }
      }
      return weighted / weights;
    }
  }

  @Test
  void resumedTrainingRepeatsTheUninterruptedLosses(@TempDir Path dir)
      throws CheckpointException {
    ModelConfig config = ContractFixtures.withNoise(STEM, 0.1, 0.1);
    TrainConfig train = ContractFixtures.trainConfig(0.05, 1.0);
    List<WeightedBatch> batches = ContractFixtures.mixedBatches(IMAGE_SIZE, VOCAB);
    int interruptedAfter = 3;
    double[] uninterrupted = new double[6];
    try (Pix2seqModel model = backend.create(config, VOCAB, Device.CPU, 4);
        ModelTrainer trainer = backend.trainer(model, train)) {
      for (int i = 0; i < uninterrupted.length; i++) {
        uninterrupted[i] = trainer.step(batches, 1e-3 * (i + 1)).loss();
        if (i + 1 == interruptedAfter) {
          model.saveWeights(dir);
          trainer.saveState(dir.resolve("train-state"));
        }
      }
    }
    try (Pix2seqModel model = backend.load(dir, config, VOCAB, Device.CPU);
        ModelTrainer trainer = backend.trainer(model, train)) {
      trainer.loadState(dir.resolve("train-state"));
      assertEquals(interruptedAfter, trainer.steps());
      for (int i = interruptedAfter; i < uninterrupted.length; i++) {
        StepResult r = trainer.step(batches, 1e-3 * (i + 1));
        assertEquals(i + 1, r.step());
        assertEquals(uninterrupted[i], r.loss(), 0.0, "loss of step " + (i + 1));
      }
    }
    assertNotEquals(uninterrupted[interruptedAfter], uninterrupted[uninterrupted.length - 1],
        "training must move the weights for the comparison to mean something");
  }

  @Test
  void dropoutMasksDependOnTheStep() {
    ModelConfig config = ContractFixtures.withNoise(PATCH, 0.3, 0.0);
    List<WeightedBatch> batches = List.of(new WeightedBatch(
        ContractFixtures.batch("detect", 2, 10, IMAGE_SIZE, VOCAB, 3), 1.0));
    try (Pix2seqModel model = backend.create(config, VOCAB, Device.CPU, 4);
        ModelTrainer trainer = backend.trainer(model, ContractFixtures.trainConfig(0, 0))) {
      double a = trainer.step(batches, 1e-12).loss();
      double b = trainer.step(batches, 1e-12).loss();
      assertNotEquals(a, b, "different steps draw different dropout masks");
    }
  }

  @Test
  void clippingScalesTheGradientToTheClipNorm(@TempDir Path dir) throws CheckpointException {
    double clip = 1e-3;
    for (double limit : new double[] {clip, 0}) {
      try (Pix2seqModel model = backend.create(PATCH, VOCAB, Device.CPU, 2);
          ModelTrainer trainer =
              backend.trainer(model, ContractFixtures.trainConfig(0, limit))) {
        StepResult r = trainer.step(ContractFixtures.mixedBatches(IMAGE_SIZE, VOCAB), 1e-3);
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
    try (Pix2seqModel model = backend.create(PATCH, VOCAB, Device.CPU, 9)) {
      model.saveWeights(dir.resolve("before"));
    }
    Map<String, NamedTensor> before =
        SafeTensors.read(dir.resolve("before/" + WEIGHTS_FILE)).tensors();
    for (double wd : new double[] {0, decay}) {
      try (Pix2seqModel model = backend.create(PATCH, VOCAB, Device.CPU, 9);
          ModelTrainer trainer = backend.trainer(model, ContractFixtures.trainConfig(wd, 0))) {
        trainer.step(ContractFixtures.mixedBatches(IMAGE_SIZE, VOCAB), lr);
        model.saveWeights(dir.resolve("wd-" + wd));
      }
    }
    Map<String, NamedTensor> plain =
        SafeTensors.read(dir.resolve("wd-0.0/" + WEIGHTS_FILE)).tensors();
    Map<String, NamedTensor> decayed =
        SafeTensors.read(dir.resolve("wd-" + decay + "/" + WEIGHTS_FILE)).tensors();
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
    try (Pix2seqModel model = backend.create(PATCH, VOCAB, Device.CPU, 9);
        ModelTrainer trainer = backend.trainer(model, ContractFixtures.trainConfig(0, 0))) {
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

  @Test
  void optimizerStateFollowsTheDocumentedFormat(@TempDir Path dir) throws Exception {
    try (Pix2seqModel model = backend.create(PATCH, VOCAB, Device.CPU, 7);
        ModelTrainer trainer = backend.trainer(model, ContractFixtures.trainConfig(0, 0))) {
      trainer.saveState(dir);
    }
    JsonNode json = ConfigIO.mapper().readTree(Files.readAllBytes(dir.resolve("optimizer.json")));
    assertEquals("pix2seq-adamw-v1", json.path("format").asText(), json.toString());
    assertEquals("adamw", json.path("optimizer").asText(), json.toString());
    assertEquals(0, json.path("step").asLong(-1), json.toString());
    Map<String, NamedTensor> weights = SafeTensors.read(saved.resolve(WEIGHTS_FILE)).tensors();
    SafeTensors.Contents state = SafeTensors.read(dir.resolve("optimizer.safetensors"));
    List<String> expected = new ArrayList<>();
    for (String prefix : List.of("m.", "v.")) {
      for (String name : weights.keySet()) {
        expected.add(prefix + name);
      }
    }
    assertEquals(Set.copyOf(expected), state.tensors().keySet());
    for (NamedTensor t : state.tensors().values()) {
      assertArrayEquals(weights.get(t.name().substring(2)).shape(), t.shape(), t.name());
      for (float v : t.data()) {
        assertEquals(0f, v, t.name() + " before any step");
      }
    }
    assertEquals("pix2seq-adamw-v1", state.metadata().get("pix2seq.format"));
  }

  // ---- decoding ----

  @ParameterizedTest(name = "convStem={0}")
  @ValueSource(booleans = {false, true})
  void cachedDecodingReproducesTheFullRecompute(boolean convStem) {
    Pix2seqModel model = model(convStem);
    int[] imageOfRow = {0, 1, 2, 1};
    int rows = imageOfRow.length;
    int[][] sequences = tokens(rows, 3, VOCAB, 11);
    int steps = 15;
    try (ImageFeatures features = model.encoder().encode(images(3, IMAGE_SIZE, 5));
        DecodingSession session = model.decoder().open(features, imageOfRow)) {
      assertEquals(3, features.batchSize());
      assertEquals(rows, session.rows());
      assertEquals(VOCAB, session.vocabSize());
      float[][] logits = session.feed(sequences);
      for (int step = 0; step <= steps; step++) {
        float[][][] full = model.decoder().logits(features, imageOfRow, sequences);
        assertEquals(rows, full.length);
        int[][] next = new int[rows][1];
        for (int r = 0; r < rows; r++) {
          int length = sequences[r].length;
          assertEquals(length, full[r].length);
          float[] reference = full[r][length - 1];
          assertEquals(VOCAB, reference.length);
          float diff = maxAbsDiff(reference, logits[r]);
          assertTrue(diff < CACHE_TOLERANCE,
              "row " + r + " after " + length + " tokens: cached logits differ by " + diff);
          next[r][0] = argmax(logits[r]);
          assertEquals(argmax(reference), next[r][0], "greedy token of row " + r);
          sequences[r] = Arrays.copyOf(sequences[r], length + 1);
          sequences[r][length] = next[r][0];
        }
        if (step < steps) {
          logits = session.feed(next);
        }
      }
    }
  }

  @ParameterizedTest(name = "convStem={0}")
  @ValueSource(booleans = {false, true})
  void greedyGenerationMatchesGreedyFullRecompute(boolean convStem) {
    Pix2seqModel model = model(convStem);
    List<GenerationRequest> requests = List.of(
        new GenerationRequest(0, new int[] {2, 3, 4}, ContractFixtures.grammar(), 12),
        new GenerationRequest(1, new int[] {5}, ContractFixtures.anyToken(VOCAB), 30),
        new GenerationRequest(0, new int[] {6, 7}, ContractFixtures.grammar(), 30));
    try (ImageFeatures features = model.encoder().encode(images(2, IMAGE_SIZE, 6))) {
      List<TokenSequence> generated = new SequenceGenerator(model.decoder(), EOS)
          .generate(features, requests, SamplerSpec.greedy(), new SplittableRandom(1));
      List<int[]> reference =
          ContractFixtures.recomputedGreedy(model.decoder(), features, requests, EOS);
      for (int i = 0; i < requests.size(); i++) {
        assertArrayEquals(reference.get(i), generated.get(i).tokens(), "request " + i);
        for (float p : generated.get(i).logProbs()) {
          assertTrue(p <= 0 && Float.isFinite(p), "log probability " + p);
        }
      }
    }
  }

  @Test
  void feedingSeveralTokensAtOnceEqualsFeedingThemOneByOne() {
    int[][] prompt = tokens(2, 5, VOCAB, 3);
    try (ImageFeatures features = stemModel.encoder().encode(images(2, IMAGE_SIZE, 1));
        DecodingSession whole = stemModel.decoder().open(features, new int[] {0, 1});
        DecodingSession single = stemModel.decoder().open(features, new int[] {0, 1})) {
      float[][] a = whole.feed(prompt);
      float[][] b = null;
      for (int t = 0; t < prompt[0].length; t++) {
        b = single.feed(new int[][] {{prompt[0][t]}, {prompt[1][t]}});
      }
      for (int r = 0; r < 2; r++) {
        assertTrue(maxAbsDiff(a[r], b[r]) < CACHE_TOLERANCE, "row " + r);
      }
      float[][] a2 = whole.feed(new int[][] {{4, 5}, {6, 7}});
      single.feed(new int[][] {{4}, {6}});
      float[][] b2 = single.feed(new int[][] {{5}, {7}});
      for (int r = 0; r < 2; r++) {
        assertTrue(maxAbsDiff(a2[r], b2[r]) < CACHE_TOLERANCE, "row " + r + " after 7 tokens");
      }
    }
  }

  @Test
  void selectKeepsReordersRepeatsAndDropsRows() {
    int[][] prompt = tokens(3, 4, VOCAB, 21);
    int[][] more = tokens(3, 2, VOCAB, 22);
    try (ImageFeatures features = patchModel.encoder().encode(images(3, IMAGE_SIZE, 2));
        DecodingSession session = patchModel.decoder().open(features, new int[] {0, 1, 2})) {
      session.feed(prompt);
      session.select(new int[] {2, 0, 2});
      assertEquals(3, session.rows());
      assertEquals(VOCAB, session.vocabSize());
      float[][] selected = session.feed(new int[][] {more[2], more[0], more[1]});
      try (DecodingSession alone = patchModel.decoder().open(features, new int[] {2, 0, 2})) {
        alone.feed(new int[][] {prompt[2], prompt[0], prompt[2]});
        float[][] expected = alone.feed(new int[][] {more[2], more[0], more[1]});
        for (int r = 0; r < 3; r++) {
          assertTrue(maxAbsDiff(expected[r], selected[r]) < CACHE_TOLERANCE,
              "row " + r + " after select {2, 0, 2}");
        }
      }
      session.select(new int[] {1});
      assertEquals(1, session.rows());
      float[][] last = session.feed(new int[][] {{9}});
      assertEquals(1, last.length);
      int[] history = {prompt[0][0], prompt[0][1], prompt[0][2], prompt[0][3], more[0][0],
          more[0][1], 9};
      float[][][] full = patchModel.decoder().logits(features, new int[] {0},
          new int[][] {history});
      float diff = maxAbsDiff(full[0][history.length - 1], last[0]);
      assertTrue(diff < CACHE_TOLERANCE, "the kept row continues its own history: " + diff);
      session.select(new int[0]);
      assertEquals(0, session.rows());
    }
  }

  @Test
  void closedFeaturesAndWrongImagesFailFast() {
    ImageFeatures closed = patchModel.encoder().encode(images(1, IMAGE_SIZE, 4));
    closed.close();
    assertThrows(IllegalStateException.class,
        () -> patchModel.decoder().open(closed, new int[] {0}).close());
    assertThrows(IllegalArgumentException.class,
        () -> patchModel.encoder().encode(images(1, IMAGE_SIZE / 2, 4)).close());
  }

  @Test
  void feedAndSelectMisuseFailsWithClearMessages() {
    try (ImageFeatures features = patchModel.encoder().encode(images(1, IMAGE_SIZE, 4));
        DecodingSession session = patchModel.decoder().open(features, new int[] {0})) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> session.feed(new int[][] {{VOCAB}}));
      assertTrue(e.getMessage().contains("outside [0, " + VOCAB + ")"), e.getMessage());
      assertThrows(IllegalArgumentException.class, () -> session.feed(new int[][] {{1}, {2}}));
      session.feed(new int[][] {new int[PATCH.maxSequenceLength()]});
      e = assertThrows(IllegalArgumentException.class, () -> session.feed(new int[][] {{1}}));
      assertTrue(e.getMessage().contains("maxSequenceLength"), e.getMessage());
      assertThrows(IllegalArgumentException.class, () -> session.select(new int[] {1}));
      assertThrows(IllegalArgumentException.class,
          () -> patchModel.decoder().open(features, new int[] {1}));
      assertThrows(IllegalArgumentException.class,
          () -> stemModel.decoder().open(features, new int[] {0}));
    }
  }

  @Test
  void selectBeforeTheFirstFeedPicksImageRows() {
    int[][] prompt = {{1, 2, 3}, {4, 5, 6}};
    try (ImageFeatures features = patchModel.encoder().encode(images(2, IMAGE_SIZE, 12));
        DecodingSession selected = patchModel.decoder().open(features, new int[] {0, 1});
        DecodingSession direct = patchModel.decoder().open(features, new int[] {1, 1})) {
      selected.select(new int[] {1, 1});
      float[][] a = selected.feed(prompt);
      float[][] b = direct.feed(prompt);
      for (int r = 0; r < 2; r++) {
        assertArrayEquals(b[r], a[r]);
      }
    }
  }

  @Test
  void sessionsOverTheSameImageAgreeAcrossBatchComposition() {
    int[][] prompt = {{1, 2, 3}};
    try (ImageFeatures batch = patchModel.encoder().encode(images(3, IMAGE_SIZE, 9));
        ImageFeatures single = patchModel.encoder().encode(
            images(3, IMAGE_SIZE, 9).subList(1, 2));
        DecodingSession a = patchModel.decoder().open(batch, new int[] {1});
        DecodingSession b = patchModel.decoder().open(single, new int[] {0})) {
      assertTrue(maxAbsDiff(a.feed(prompt)[0], b.feed(prompt)[0]) < CACHE_TOLERANCE);
    }
  }

  @Test
  void sessionsOnSeveralThreadsAgreeWithOneThread() throws Exception {
    int[][] prompt = tokens(2, 4, VOCAB, 5);
    try (ImageFeatures features = patchModel.encoder().encode(images(2, IMAGE_SIZE, 8))) {
      float[][] expected = greedyLogits(features, prompt);
      java.util.concurrent.ExecutorService pool =
          java.util.concurrent.Executors.newFixedThreadPool(3);
      try {
        List<java.util.concurrent.Future<float[][]>> results = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
          results.add(pool.submit(() -> greedyLogits(features, prompt)));
        }
        for (java.util.concurrent.Future<float[][]> result : results) {
          float[][] actual = result.get();
          for (int r = 0; r < 2; r++) {
            assertArrayEquals(expected[r], actual[r]);
          }
        }
      } finally {
        pool.shutdown();
      }
    }
  }

  private float[][] greedyLogits(ImageFeatures features, int[][] prompt) {
    try (DecodingSession session = patchModel.decoder().open(features, new int[] {0, 1})) {
      float[][] logits = session.feed(prompt);
      for (int step = 0; step < 8; step++) {
        logits = session.feed(new int[][] {{argmax(logits[0])}, {argmax(logits[1])}});
      }
      return logits;
    }
  }

  @Test
  void aClosedModelFailsFast() {
    Pix2seqModel model = backend.create(PATCH, VOCAB, Device.CPU, 1);
    ImageFeatures features = model.encoder().encode(images(1, IMAGE_SIZE, 4));
    DecodingSession session = model.decoder().open(features, new int[] {0});
    model.close();
    assertThrows(IllegalStateException.class, () -> session.feed(new int[][] {{1}}));
    assertThrows(IllegalStateException.class, model::encoder);
    session.close();
    features.close();
  }

  // ---- generation ----

  static Stream<Arguments> samplers() {
    return Stream.of(
        Arguments.of(Named.of("greedy", SamplerSpec.greedy())),
        Arguments.of(Named.of("top-p 0.9", SamplerSpec.topP(0.9))),
        Arguments.of(Named.of("top-k 5", SamplerSpec.topK(5))),
        Arguments.of(Named.of("temperature 1.5", SamplerSpec.temperature(1.5))),
        Arguments.of(Named.of("beam 3", SamplerSpec.beam(3))));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("dev.pix2seq.backend.contract.BackendContract#samplers")
  void generatedResponsesRespectTheConstraint(SamplerSpec sampler) {
    AlternatingRangeConstraint grammar = ContractFixtures.grammar();
    int maxNewTokens = 12;
    List<GenerationRequest> requests = List.of(
        new GenerationRequest(0, new int[] {2}, grammar, maxNewTokens),
        new GenerationRequest(1, new int[] {3, 4}, grammar, maxNewTokens),
        new GenerationRequest(1, new int[] {5, 6, 7}, grammar, maxNewTokens),
        new GenerationRequest(0, new int[] {8, 9}, grammar, 5));
    try (ImageFeatures features = stemModel.encoder().encode(images(2, IMAGE_SIZE, 12))) {
      SequenceGenerator generator = new SequenceGenerator(stemModel.decoder(), EOS);
      List<TokenSequence> responses =
          generator.generate(features, requests, sampler, new SplittableRandom(3));
      assertEquals(requests.size(), responses.size());
      for (int i = 0; i < responses.size(); i++) {
        int[] response = responses.get(i).tokens();
        String what = "request " + i + " " + Arrays.toString(response);
        assertTrue(response.length >= 1 && response.length <= requests.get(i).maxNewTokens(),
            what);
        assertTrue(grammar.accepts(response), what + " breaks the constraint");
        for (int t = 0; t < response.length - 1; t++) {
          assertNotEquals(EOS, response[t], what + ": EOS only ends a response");
        }
        for (float p : responses.get(i).logProbs()) {
          assertTrue(p <= 0 && Float.isFinite(p), what + ": log probability " + p);
        }
      }
      List<TokenSequence> again =
          generator.generate(features, requests, sampler, new SplittableRandom(3));
      for (int i = 0; i < responses.size(); i++) {
        assertArrayEquals(responses.get(i).tokens(), again.get(i).tokens(),
            "request " + i + " with the same seed");
      }
    }
  }

  // ---- weights ----

  @Test
  void savedWeightsReloadToBitIdenticalLogits(@TempDir Path dir) throws CheckpointException,
      IOException {
    try (Stream<Path> files = Files.list(saved)) {
      assertEquals(List.of(WEIGHTS_FILE),
          files.map(p -> p.getFileName().toString()).collect(Collectors.toList()),
          "the weights file and nothing else (no temporary file left behind)");
    }
    SafeTensors.Contents contents = SafeTensors.read(saved.resolve(WEIGHTS_FILE));
    assertEquals("pix2seq-weights-v1", contents.metadata().get("pix2seq.format"));
    int[][] tokens = tokens(2, 5, VOCAB, 4);
    try (Pix2seqModel loaded = backend.load(saved, PATCH, VOCAB, Device.CPU);
        ImageFeatures a = patchModel.encoder().encode(images(2, IMAGE_SIZE, 6));
        ImageFeatures b = loaded.encoder().encode(images(2, IMAGE_SIZE, 6));
        DecodingSession sa = patchModel.decoder().open(a, new int[] {1, 0});
        DecodingSession sb = loaded.decoder().open(b, new int[] {1, 0})) {
      float[][][] expected = patchModel.decoder().logits(a, new int[] {0, 1}, tokens);
      float[][][] actual = loaded.decoder().logits(b, new int[] {0, 1}, tokens);
      for (int r = 0; r < 2; r++) {
        for (int t = 0; t < tokens[r].length; t++) {
          assertArrayEquals(expected[r][t], actual[r][t], "row " + r + " position " + t);
        }
      }
      float[][] fa = sa.feed(tokens);
      float[][] fb = sb.feed(tokens);
      for (int r = 0; r < 2; r++) {
        assertArrayEquals(fa[r], fb[r], "session row " + r);
      }
      loaded.saveWeights(dir);
    }
    assertEquals(contents.tensors(), SafeTensors.read(dir.resolve(WEIGHTS_FILE)).tensors(),
        "saving the loaded model writes the same tensors");
  }

  @Test
  void savedWeightsAreTheInitialDrawByTheirDocumentedNamesAndTag() throws CheckpointException {
    SafeTensors.Contents contents = SafeTensors.read(saved.resolve(WEIGHTS_FILE));
    List<NamedTensor> drawn = InitialWeights.draw(ParameterLayout.of(PATCH, VOCAB), 7);
    assertEquals(drawn.stream().map(NamedTensor::name).toList(),
        List.copyOf(contents.tensors().keySet()), "every parameter, in layout order");
    for (NamedTensor expected : drawn) {
      assertEquals(expected, contents.tensors().get(expected.name()), expected.name());
    }
    assertEquals("pix2seq-weights-v1", contents.metadata().get("pix2seq.format"));
  }

  @Test
  void sameSeedGivesSameWeightsAndAnotherSeedOthers(@TempDir Path dir)
      throws CheckpointException {
    try (Pix2seqModel same = backend.create(PATCH, VOCAB, Device.CPU, 7);
        Pix2seqModel other = backend.create(PATCH, VOCAB, Device.CPU, 70)) {
      same.saveWeights(dir.resolve("same"));
      other.saveWeights(dir.resolve("other"));
    }
    Map<String, NamedTensor> original = SafeTensors.read(saved.resolve(WEIGHTS_FILE)).tensors();
    assertEquals(original, SafeTensors.read(dir.resolve("same/" + WEIGHTS_FILE)).tensors());
    assertNotEquals(original.get("decoder.token_embedding"),
        SafeTensors.read(dir.resolve("other/" + WEIGHTS_FILE)).tensors()
            .get("decoder.token_embedding"));
  }

  @Test
  void missingWeightsFileIsRejected(@TempDir Path empty) {
    assertRejected(empty, PATCH);
  }

  @Test
  void truncatedWeightsFileIsRejected(@TempDir Path dir) throws IOException {
    byte[] bytes = Files.readAllBytes(saved.resolve(WEIGHTS_FILE));
    Files.write(dir.resolve(WEIGHTS_FILE), Arrays.copyOf(bytes, bytes.length - 100));
    assertRejected(dir, PATCH);
  }

  @Test
  void flippedDataByteIsRejected(@TempDir Path dir) throws IOException {
    byte[] bytes = Files.readAllBytes(saved.resolve(WEIGHTS_FILE));
    bytes[bytes.length - bytes.length / 3] ^= 0x10;
    Files.write(dir.resolve(WEIGHTS_FILE), bytes);
    assertRejected(dir, PATCH);
  }

  @Test
  void headerThatIsNotSafetensorsIsRejected(@TempDir Path dir) throws IOException {
    Files.writeString(dir.resolve(WEIGHTS_FILE), "{\"not\": \"a safetensors file\"}",
        StandardCharsets.UTF_8);
    assertRejected(dir, PATCH);
  }

  @Test
  void missingTensorIsRejectedByName(@TempDir Path dir) throws CheckpointException {
    List<NamedTensor> tensors = savedTensors();
    tensors.removeIf(t -> t.name().equals("decoder.layers.1.mlp.fc2.bias"));
    rewrite(dir, tensors);
    assertRejected(dir, PATCH, "decoder.layers.1.mlp.fc2.bias");
  }

  @Test
  void extraTensorIsRejectedByName(@TempDir Path dir) throws CheckpointException {
    List<NamedTensor> tensors = savedTensors();
    tensors.add(new NamedTensor("encoder.cls_token", new int[] {1, 32}, new float[32]));
    rewrite(dir, tensors);
    assertRejected(dir, PATCH, "encoder.cls_token");
  }

  @Test
  void wrongShapeIsRejectedByName(@TempDir Path dir) throws CheckpointException {
    List<NamedTensor> tensors = savedTensors();
    tensors.replaceAll(t -> t.name().equals("bridge.norm.weight")
        ? new NamedTensor(t.name(), new int[] {2, 16}, t.data())
        : t);
    rewrite(dir, tensors);
    assertRejected(dir, PATCH, "bridge.norm.weight", "[2, 16]");
  }

  @Test
  void nonFiniteValueIsRejectedByName(@TempDir Path dir) throws CheckpointException {
    List<NamedTensor> tensors = savedTensors();
    tensors.replaceAll(t -> {
      if (!t.name().equals("decoder.norm.bias")) {
        return t;
      }
      float[] data = t.data().clone();
      data[3] = Float.NaN;
      return new NamedTensor(t.name(), t.shape(), data);
    });
    rewrite(dir, tensors);
    assertRejected(dir, PATCH, "decoder.norm.bias");
  }

  @Test
  void weightsOfAnotherArchitectureAreRejected() {
    ModelConfig widerMlp = new ModelConfig(ModelConfig.CURRENT_VERSION, "contract", IMAGE_SIZE,
        8, false, 1, 32, 2, 128, 2, 32, 2, 64, 24, 0.0, 0.0, 1e-6);
    assertRejected(saved, widerMlp, "encoder.layers.0.mlp.fc");
    assertRejected(saved, STEM);
  }

  private List<NamedTensor> savedTensors() throws CheckpointException {
    return new ArrayList<>(SafeTensors.read(saved.resolve(WEIGHTS_FILE)).tensors().values());
  }

  private void rewrite(Path dir, List<NamedTensor> tensors) throws CheckpointException {
    Map<String, String> metadata =
        SafeTensors.read(saved.resolve(WEIGHTS_FILE)).metadata();
    SafeTensors.write(dir.resolve(WEIGHTS_FILE), tensors, metadata);
  }

  private void assertRejected(Path dir, ModelConfig config, String... named) {
    CheckpointException e = assertThrows(CheckpointException.class,
        () -> backend.load(dir, config, VOCAB, Device.CPU).close());
    String message = String.valueOf(e.getMessage());
    assertTrue(message.contains(WEIGHTS_FILE), "message names the file: " + message);
    for (String part : named) {
      assertTrue(message.contains(part), "message names '" + part + "': " + message);
    }
  }

  // ---- stability ----

  @Test
  void hundredsOfFeedsStayFiniteAndDeterministic() {
    float[][] firstRound = null;
    int feeds = 0;
    for (int round = 0; round < 20; round++) {
      try (ImageFeatures features = stemModel.encoder().encode(images(2, IMAGE_SIZE, 4));
          DecodingSession session = stemModel.decoder().open(features, new int[] {0, 1})) {
        float[][] logits = session.feed(new int[][] {{1, 2}, {3, 4}});
        feeds++;
        for (int i = 0; i < 16; i++) {
          logits = session.feed(new int[][] {{argmax(logits[0])}, {argmax(logits[1])}});
          feeds++;
          if (i == 7) {
            session.select(new int[] {1, 0});
          }
          for (float[] row : logits) {
            for (float v : row) {
              assertTrue(Float.isFinite(v), "round " + round + " feed " + i + ": " + v);
            }
          }
        }
        if (firstRound == null) {
          firstRound = logits;
        } else {
          for (int r = 0; r < 2; r++) {
            assertArrayEquals(firstRound[r], logits[r], "round " + round + " row " + r);
          }
        }
      }
    }
    assertTrue(feeds >= 300, "feeds: " + feeds);
  }
}
