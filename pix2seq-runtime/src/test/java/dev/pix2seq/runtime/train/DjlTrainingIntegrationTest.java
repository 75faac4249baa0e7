package dev.pix2seq.runtime.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.pix2seq.api.checkpoint.NamedTensor;
import dev.pix2seq.api.checkpoint.SafeTensors;
import dev.pix2seq.api.config.Device;
import dev.pix2seq.api.config.ModelConfig;
import dev.pix2seq.api.config.TrainConfig;
import dev.pix2seq.api.model.Backend;
import dev.pix2seq.api.model.ImageFeatures;
import dev.pix2seq.api.model.Pix2seqModel;
import dev.pix2seq.api.training.LearningRateSchedule;
import dev.pix2seq.api.training.ModelTrainer;
import dev.pix2seq.api.training.StepResult;
import dev.pix2seq.api.value.ImageTensor;
import dev.pix2seq.runtime.backend.Backends;
import dev.pix2seq.runtime.checkpoint.Checkpoint;
import dev.pix2seq.runtime.checkpoint.CheckpointManifest;
import dev.pix2seq.runtime.checkpoint.LoadedCheckpoint;
import dev.pix2seq.runtime.checkpoint.Provenance;
import dev.pix2seq.tasks.TaskContext;
import dev.pix2seq.tasks.TaskRegistry;
import dev.pix2seq.tasks.examples.ExampleBuilders;
import dev.pix2seq.tasks.examples.ExampleOptions;
import dev.pix2seq.tokenizer.Vocabulary;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The training loop and checkpoints with the real DJL backend, found through its service file
 * (skipped while pix2seq-model-djl provides no backend).
 */
class DjlTrainingIntegrationTest {
  /** The tiny preset, smaller: 64 px input, 16 image tokens, one layer each side. */
  private static final ModelConfig MODEL = new ModelConfig(ModelConfig.CURRENT_VERSION, "tiny",
      64, 16, true, 1, 64, 2, 128, 1, 64, 2, 128, 128, 0, 0, 1e-6);
  private static final List<String> TASKS = List.of("detect", "describe");

  @TempDir static Path shared;
  private static Path dataset;
  private static Backend backend;

  @TempDir Path tmp;

  @BeforeAll
  static void findBackend() throws Exception {
    Backends backends = Backends.discover();
    assumeTrue(backends.contains("djl"), "no djl backend on the class path");
    backend = backends.select("djl");
    dataset = TrainFixtures.dataset(shared.resolve("data"), 4);
  }

  private static TrainConfig config(int steps) {
    return TrainFixtures.train(TASKS, Map.of(), "summed", steps, 2, 7, 0, 1);
  }

  private static float[][][] logits(Pix2seqModel model, Vocabulary vocab) {
    ImageTensor image = ImageTensor.zeros(MODEL.imageSize(), MODEL.imageSize());
    for (int i = 0; i < image.pixels().length; i++) {
      image.pixels()[i] = (i % 17) / 17f;
    }
    int[][] tokens = {
      {vocab.taskToken("detect"), vocab.coordToken(0.1), vocab.coordToken(0.2),
          vocab.coordToken(0.6), vocab.coordToken(0.7), vocab.layout().classBase()},
      {vocab.taskToken("describe"), vocab.layout().textBase(), vocab.layout().textBase() + 1,
          vocab.layout().eos(), vocab.layout().pad(), vocab.layout().pad()}
    };
    try (ImageFeatures f = model.encoder().encode(List.of(image))) {
      return model.decoder().logits(f, new int[] {0, 0}, tokens);
    }
  }

  @Test
  void aTrainedModelLoadsBackWithIdenticalLogits() throws Exception {
    TrainConfig config = config(2);
    TaskRegistry registry = TaskRegistry.discover(getClass().getClassLoader());
    TrainingData data = TrainingData.read(dataset, TASKS);
    Vocabulary vocab = TrainingVocabulary.build(data, TASKS, 100);
    TaskContext context = new TaskContext(vocab,
        TaskOptionsFit.fit(registry, vocab, TASKS, Map.of(), MODEL.maxSequenceLength()));
    StepBatches batches = new StepBatches(data, ExampleBuilders.builtIn(registry, context,
        ExampleOptions.training(MODEL.imageSize()), TASKS), config, vocab.layout().pad(),
        MODEL.maxSequenceLength());
    Path dir = tmp.resolve("ckpt");
    float[][][] before;
    try (Pix2seqModel model = backend.create(MODEL, vocab.size(), Device.CPU, config.seed());
        ModelTrainer trainer = backend.trainer(model, config)) {
      LearningRateSchedule lr = LearningRateSchedule.of(config);
      for (int s = 0; s < config.steps(); s++) {
        StepResult r = trainer.step(batches.forStep(s), lr.rate(s));
        assertTrue(Double.isFinite(r.loss()) && r.loss() > 0, "loss " + r.loss());
      }
      Checkpoint.save(dir, model, vocab,
          CheckpointManifest.of(model, context, TASKS, Provenance.now(backend.name(), 2)),
          trainer::saveState);
      before = logits(model, vocab);
    }
    try (LoadedCheckpoint loaded = Checkpoint.load(dir, backend, Device.CPU)) {
      float[][][] after = logits(loaded.model(), loaded.vocabulary());
      for (int r = 0; r < before.length; r++) {
        for (int t = 0; t < before[r].length; t++) {
          assertArrayEquals(before[r][t], after[r][t], "row " + r + " position " + t);
        }
      }
    }
  }

  @Test
  void aResumedRunEndsWithTheWeightsOfAnUninterruptedOne() throws Exception {
    Path whole = tmp.resolve("whole");
    run(config(2), whole, false);
    Path parts = tmp.resolve("parts");
    TrainingSummary first = run(config(2), parts, false, 1);
    assertEquals(1, first.lastStep());
    TrainingSummary rest = run(config(2), parts, true);
    assertEquals(1, rest.firstStep());
    assertEquals(2, rest.lastStep());
    assertTrue(Double.isFinite(rest.finalLoss()));

    Map<String, NamedTensor> a = weights(whole);
    Map<String, NamedTensor> b = weights(parts);
    assertEquals(a.keySet(), b.keySet());
    for (String name : a.keySet()) {
      assertArrayEquals(a.get(name).data(), b.get(name).data(), name);
    }
    try (LoadedCheckpoint loaded = Checkpoint.load(parts, backend, Device.CPU)) {
      assertEquals(2, loaded.manifest().provenance().trainingStep());
      assertEquals("djl", loaded.manifest().provenance().backend());
    }
  }

  private static TrainingSummary run(TrainConfig config, Path out, boolean resume)
      throws Exception {
    return run(config, out, resume, Long.MAX_VALUE);
  }

  private static TrainingSummary run(TrainConfig config, Path out, boolean resume,
      long stopAfter) throws Exception {
    TrainingRun[] run = new TrainingRun[1];
    run[0] = TrainingRun.builder().setDataset(dataset).setModelConfig(MODEL)
        .setTrainConfig(config).setBackend(backend).setOutput(out).optTextVocabSize(100)
        .optResume(resume)
        .optListener(new TrainingListener() {
          @Override
          public void onStep(StepMetrics m) {
            if (m.step() == stopAfter) {
              run[0].requestStop();
            }
          }
        })
        .build();
    return run[0].run();
  }

  private static Map<String, NamedTensor> weights(Path run) throws Exception {
    Path file = Checkpoint.resolve(run).resolve(Checkpoint.WEIGHTS_FILE);
    return SafeTensors.read(file).tensors();
  }
}
