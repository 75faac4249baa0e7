package dev.pix2seq.runtime.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pix2seq.api.config.TrainConfig;
import dev.pix2seq.api.training.TrainingBatch;
import dev.pix2seq.api.training.WeightedBatch;
import dev.pix2seq.runtime.backend.FakeBackend;
import dev.pix2seq.tasks.TaskContext;
import dev.pix2seq.tasks.TaskRegistry;
import dev.pix2seq.tasks.examples.ExampleBuilders;
import dev.pix2seq.tasks.examples.ExampleOptions;
import dev.pix2seq.tokenizer.Vocabulary;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StepBatchesTest {
  private static final List<String> ALL = List.of("detect", "segment", "keypoint", "describe");

  @TempDir static Path shared;
  private static Path dataset;
  private static TaskRegistry registry;

  @BeforeAll
  static void writeDataset() throws Exception {
    dataset = TrainFixtures.dataset(shared.resolve("data"), 10);
    registry = TaskRegistry.discover(StepBatchesTest.class.getClassLoader());
  }

  private static StepBatches batches(TrainConfig config) throws Exception {
    TrainingData data = TrainingData.read(dataset, config.tasks());
    Vocabulary vocab = TrainingVocabulary.build(data, config.tasks(), 200);
    TaskContext context = new TaskContext(vocab, TaskOptionsFit.fit(registry, vocab,
        config.tasks(), Map.of(), TrainFixtures.MODEL.maxSequenceLength()));
    return new StepBatches(data, ExampleBuilders.builtIn(registry, context,
        ExampleOptions.training(TrainFixtures.MODEL.imageSize()), config.tasks()), config,
        vocab.layout().pad(), TrainFixtures.MODEL.maxSequenceLength());
  }

  private static TrainConfig config(String mixing, Map<String, Double> weights, int batchSize,
      long seed) {
    return TrainFixtures.train(ALL, weights, mixing, 100, batchSize, seed, 0, 10);
  }

  @Test
  void sameSeedSameBatchesInAnyOrderOfSteps() throws Exception {
    TrainConfig c = config("sampled", Map.of(), 3, 11);
    StepBatches a = batches(c);
    StepBatches b = batches(c);
    List<Long> forward = new ArrayList<>();
    for (long s = 0; s < 8; s++) {
      forward.add(FakeBackend.digest(a.forStep(s)));
    }
    for (long s = 7; s >= 0; s--) {
      assertEquals(forward.get((int) s), FakeBackend.digest(b.forStep(s)), "step " + s);
    }
    StepBatches other = batches(config("sampled", Map.of(), 3, 12));
    int differing = 0;
    for (long s = 0; s < 8; s++) {
      if (FakeBackend.digest(other.forStep(s)) != forward.get((int) s)) {
        differing++;
      }
    }
    assertEquals(8, differing, "another seed gives other batches");
  }

  @Test
  void sampledMixingDrawsOneTaskPerStepByWeight() throws Exception {
    StepBatches b = batches(config("sampled",
        Map.of("detect", 6.0, "segment", 2.0, "keypoint", 1.0, "describe", 1.0), 1, 3));
    Map<String, Integer> counts = new HashMap<>();
    int steps = 300;
    for (long s = 0; s < steps; s++) {
      List<WeightedBatch> step = b.forStep(s);
      assertEquals(1, step.size());
      assertEquals(1.0, step.get(0).weight());
      counts.merge(step.get(0).batch().task(), 1, Integer::sum);
    }
    assertEquals(0.6, counts.get("detect") / (double) steps, 0.08, counts.toString());
    assertEquals(0.2, counts.get("segment") / (double) steps, 0.06, counts.toString());
    assertEquals(0.1, counts.get("keypoint") / (double) steps, 0.05, counts.toString());
    assertEquals(0.1, counts.get("describe") / (double) steps, 0.05, counts.toString());
  }

  @Test
  void stagesSetTheTasksOfTheirStepsThenTheRunWeightsApply() throws Exception {
    TrainConfig base = config("sampled", Map.of(), 1, 3);
    TrainConfig staged = new TrainConfig(base.version(), base.tasks(), base.taskWeights(),
        base.mixing(), base.steps(), base.batchSize(), base.learningRate(), base.weightDecay(),
        base.beta1(), base.beta2(), base.warmupSteps(), base.schedule(),
        base.gradientClipNorm(), base.seed(), base.checkpointEvery(), base.logEvery(),
        base.device(), List.of(new dev.pix2seq.api.config.TaskStage(20, Map.of("detect", 1.0)),
            new dev.pix2seq.api.config.TaskStage(10,
                Map.of("keypoint", 1.0, "describe", 0.0))));
    StepBatches b = batches(staged);
    for (long s = 0; s < 20; s++) {
      assertEquals("detect", b.forStep(s).get(0).batch().task(), "step " + s);
    }
    for (long s = 20; s < 30; s++) {
      assertEquals("keypoint", b.forStep(s).get(0).batch().task(), "step " + s);
    }
    Map<String, Integer> after = new HashMap<>();
    for (long s = 30; s < 100; s++) {
      after.merge(b.forStep(s).get(0).batch().task(), 1, Integer::sum);
    }
    assertEquals(4, after.size(), "every task after the stages: " + after);
    // a step after the stages draws as the unstaged config does
    assertEquals(FakeBackend.digest(batches(base).forStep(57)),
        FakeBackend.digest(b.forStep(57)));
  }

  @Test
  void summedMixingTrainsEveryTaskEachStepWeighedByShare() throws Exception {
    StepBatches b = batches(config("summed",
        Map.of("detect", 2.0, "segment", 1.0, "keypoint", 0.0, "describe", 1.0), 2, 3));
    for (long s = 0; s < 3; s++) {
      List<WeightedBatch> step = b.forStep(s);
      assertEquals(List.of("detect", "segment", "describe"),
          step.stream().map(w -> w.batch().task()).toList());
      assertEquals(List.of(0.5, 0.25, 0.25), step.stream().map(WeightedBatch::weight).toList());
      step.forEach(w -> assertEquals(2, w.batch().size()));
    }
  }

  @Test
  void realBatchesStartWithTheTaskPromptAndWeighNoPromptOrPadding() throws Exception {
    StepBatches b = batches(config("summed", Map.of(), 4, 5));
    dev.pix2seq.api.vocab.VocabLayout layout = Vocabulary.defaultLayout();
    Map<String, Integer> promptLength =
        Map.of("detect", 1, "segment", 6, "keypoint", 6, "describe", 1);
    for (long s = 0; s < 2; s++) {
      for (WeightedBatch wb : b.forStep(s)) {
        TrainingBatch batch = wb.batch();
        int p = promptLength.get(batch.task());
        assertTrue(batch.length() <= TrainFixtures.MODEL.maxSequenceLength());
        for (int r = 0; r < batch.size(); r++) {
          int[] in = batch.inputs()[r];
          int[] target = batch.targets()[r];
          float[] w = batch.weights()[r];
          assertEquals(layout.taskToken(batch.task()), in[0]);
          for (int t = 0; t < p - 1; t++) {
            assertEquals(0f, w[t], "prompt position " + t + " of " + batch.task());
            assertEquals(layout.pad(), target[t]);
          }
          int used = 0;
          while (used < in.length && in[used] != layout.pad()) {
            used++;
          }
          assertTrue(used >= p, "the prompt is read in full");
          assertEquals(layout.eos(), target[used - 1], batch.task() + " row ends with EOS");
          for (int t = used; t < in.length; t++) {
            assertEquals(layout.pad(), in[t]);
            assertEquals(layout.pad(), target[t]);
            assertEquals(0f, w[t], "padding weighs nothing");
          }
          for (int t = p - 1; t < used; t++) {
            assertNotEquals(layout.pad(), target[t], "every response position has a target");
          }
        }
      }
    }
  }
}
