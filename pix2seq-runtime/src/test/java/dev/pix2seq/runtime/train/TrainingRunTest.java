package dev.pix2seq.runtime.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pix2seq.api.CheckpointException;
import dev.pix2seq.api.ConfigException;
import dev.pix2seq.api.DatasetException;
import dev.pix2seq.api.config.Device;
import dev.pix2seq.api.config.TrainConfig;
import dev.pix2seq.data.coco.CocoLayout;
import dev.pix2seq.runtime.backend.FakeBackend;
import dev.pix2seq.runtime.checkpoint.Checkpoint;
import dev.pix2seq.runtime.checkpoint.LoadedCheckpoint;
import dev.pix2seq.tasks.describe.DescribeOptions;
import dev.pix2seq.tasks.detect.DetectionOptions;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainingRunTest {
  private static final List<String> TASKS = List.of("detect", "describe");

  @TempDir static Path shared;
  private static Path dataset;

  @TempDir Path tmp;

  @BeforeAll
  static void writeDataset() throws Exception {
    dataset = TrainFixtures.dataset(shared.resolve("data"), 8);
  }

  @AfterEach
  void noPrefetchThreadOutlivesARun() throws InterruptedException {
    for (Thread t : Thread.getAllStackTraces().keySet()) {
      if (t.getName().equals(BatchPrefetcher.THREAD_NAME)) {
        t.join(5000);
        assertFalse(t.isAlive(), "a prefetch thread outlived its run");
      }
    }
  }

  private static TrainConfig config(int steps, int checkpointEvery, long seed) {
    return TrainFixtures.train(TASKS, Map.of("detect", 3.0, "describe", 1.0), "sampled", steps,
        2, seed, checkpointEvery, 2);
  }

  private static TrainingRun.Builder run(FakeBackend backend, TrainConfig config, Path out) {
    return TrainingRun.builder()
        .setDataset(dataset)
        .setModelConfig(TrainFixtures.MODEL)
        .setTrainConfig(config)
        .setBackend(backend)
        .setOutput(out)
        .optTextVocabSize(150);
  }

  private static List<Long> digests(FakeBackend backend) {
    List<Long> out = new ArrayList<>();
    for (FakeBackend.FakeTrainer t : backend.trainers()) {
      t.batches().forEach(step -> out.add(FakeBackend.digest(step)));
    }
    return out;
  }

  private static float[] savedWeights(Path run, FakeBackend backend) throws Exception {
    try (LoadedCheckpoint c = Checkpoint.load(run, backend, Device.CPU)) {
      return ((FakeBackend.FakeModel) c.model()).weights();
    }
  }

  @Test
  void trainsWritesACheckpointAndMetricsAndTellsListeners() throws Exception {
    FakeBackend backend = new FakeBackend();
    Path out = tmp.resolve("run");
    List<StepMetrics> seen = new ArrayList<>();
    List<Long> checkpoints = new ArrayList<>();
    TrainingSummary summary = run(backend, config(6, 4, 1), out)
        .optListener(new TrainingListener() {
          @Override
          public void onStep(StepMetrics m) {
            seen.add(m);
          }

          @Override
          public void onCheckpoint(long step, Path dir) {
            checkpoints.add(step);
          }
        })
        .build()
        .run();

    assertTrue(summary.completed());
    assertEquals(6, summary.lastStep());
    assertEquals(out.resolve("checkpoint"), summary.checkpoint());
    assertEquals(List.of(1L, 2L, 3L, 4L, 5L, 6L), seen.stream().map(StepMetrics::step).toList());
    assertEquals(List.of(4L, 6L), checkpoints);
    FakeBackend.FakeTrainer trainer = backend.lastTrainer();
    assertEquals(6, trainer.batches().size());
    for (int s = 0; s < 6; s++) {
      assertEquals(dev.pix2seq.api.training.LearningRateSchedule.of(config(6, 4, 1)).rate(s),
          trainer.learningRates().get(s));
    }
    assertEquals(summary.finalLoss(), seen.get(5).loss());

    try (LoadedCheckpoint c = Checkpoint.load(out, backend, Device.CPU)) {
      assertEquals(TASKS, c.tasks());
      assertEquals(6, c.manifest().provenance().trainingStep());
      DetectionOptions detect = (DetectionOptions) c.context().options().get("detect");
      assertEquals(25, detect.maxObjects(), "(128 - 1) / 5 objects fit 128 positions");
      assertEquals(DescribeOptions.defaults(), c.context().options().get("describe"));
      assertTrue(c.vocabulary().textTokenizer().size() > 1, "describe trains a tokenizer");
      assertArrayEquals(trainer.momentum(), momentumIn(c.directory()));
    }
    ObjectMapper json = new ObjectMapper();
    List<String> lines = Files.readAllLines(out.resolve(TrainingRun.METRICS_FILE));
    assertEquals(3, lines.size());
    JsonNode first = json.readTree(lines.get(0));
    assertEquals(2, first.get("step").asInt());
    assertEquals((seen.get(0).loss() + seen.get(1).loss()) / 2, first.get("loss").asDouble(),
        1e-12);
    for (String field : List.of("taskLosses", "learningRate", "gradientNorm",
        "imagesPerSecond", "elapsedSeconds")) {
      assertTrue(first.has(field), field);
    }
  }

  private static float[] momentumIn(Path checkpoint) throws Exception {
    Path file = checkpoint.resolve("train-state/optimizer.safetensors");
    return dev.pix2seq.api.checkpoint.SafeTensors.read(file).tensors().get("m.fake.weights")
        .data();
  }

  @Test
  void sameSeedSameBatchesOtherSeedOtherBatches() throws Exception {
    FakeBackend a = new FakeBackend();
    FakeBackend b = new FakeBackend();
    FakeBackend c = new FakeBackend();
    run(a, config(4, 0, 1), tmp.resolve("a")).build().run();
    run(b, config(4, 0, 1), tmp.resolve("b")).build().run();
    run(c, config(4, 0, 2), tmp.resolve("c")).build().run();
    assertEquals(digests(a), digests(b));
    assertArrayEquals(savedWeights(tmp.resolve("a"), a), savedWeights(tmp.resolve("b"), b));
    assertFalse(digests(a).equals(digests(c)));
  }

  @Test
  void resumingContinuesWithExactlyTheBatchesAndStateOfAnUninterruptedRun() throws Exception {
    FakeBackend whole = new FakeBackend();
    run(whole, config(8, 3, 4), tmp.resolve("whole")).build().run();

    FakeBackend parts = new FakeBackend();
    Path out = tmp.resolve("parts");
    TrainingRun[] first = new TrainingRun[1];
    first[0] = run(parts, config(8, 3, 4), out)
        .optListener(new TrainingListener() {
          @Override
          public void onStep(StepMetrics m) {
            if (m.step() == 5) {
              first[0].requestStop();
            }
          }
        })
        .build();
    TrainingSummary stopped = first[0].run();
    assertEquals(TrainingSummary.StopReason.STOP_REQUESTED, stopped.reason());
    assertEquals(5, stopped.lastStep());

    TrainingSummary resumed = run(parts, config(8, 3, 4), out).optResume(true).build().run();
    assertEquals(5, resumed.firstStep());
    assertEquals(8, resumed.lastStep());
    assertTrue(resumed.completed());
    assertEquals(digests(whole), digests(parts));
    assertArrayEquals(savedWeights(tmp.resolve("whole"), whole), savedWeights(out, parts));
    assertArrayEquals(whole.lastTrainer().momentum(), parts.lastTrainer().momentum());
    assertEquals(whole.lastTrainer().learningRates().subList(5, 8),
        parts.lastTrainer().learningRates());

    List<Integer> steps = new ArrayList<>();
    for (String line : Files.readAllLines(out.resolve(TrainingRun.METRICS_FILE))) {
      steps.add(new ObjectMapper().readTree(line).get("step").asInt());
    }
    assertEquals(List.of(2, 4, 5, 6, 8), steps);
  }

  @Test
  void resumingDropsMetricsLinesPastTheCheckpoint() throws Exception {
    FakeBackend backend = new FakeBackend();
    Path out = tmp.resolve("run");
    run(backend, config(6, 3, 4), out).build().run();
    // pretend the run crashed after step 6's metrics but with the checkpoint of step 3 only
    Path ckpt = out.resolve("checkpoint");
    FakeBackend other = new FakeBackend();
    Path shorter = tmp.resolve("shorter");
    run(other, config(3, 3, 4), shorter).build().run();
    try (Stream<Path> files = Files.walk(ckpt)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
    copy(shorter.resolve("checkpoint"), ckpt);

    run(new FakeBackend(), config(6, 3, 4), out).optResume(true).build().run();
    List<Integer> steps = new ArrayList<>();
    for (String line : Files.readAllLines(out.resolve(TrainingRun.METRICS_FILE))) {
      steps.add(new ObjectMapper().readTree(line).get("step").asInt());
    }
    assertEquals(List.of(2, 4, 6), steps);
  }

  private static void copy(Path from, Path to) throws Exception {
    try (Stream<Path> files = Files.walk(from)) {
      for (Path p : files.toList()) {
        Path target = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(target);
        } else {
          Files.copy(p, target);
        }
      }
    }
  }

  @Test
  void resumingWithAnotherConfigNamesTheField() throws Exception {
    Path out = tmp.resolve("run");
    run(new FakeBackend(), config(2, 0, 4), out).build().run();
    TrainConfig other = TrainFixtures.train(TASKS, Map.of("detect", 3.0, "describe", 1.0),
        "sampled", 4, 3, 4, 0, 2);
    ConfigException e = assertThrows(ConfigException.class,
        () -> run(new FakeBackend(), other, out).optResume(true).build().run());
    assertTrue(e.getMessage().contains("batchSize (saved 2, given 3)"), e.getMessage());

    TrainingSummary longer =
        run(new FakeBackend(), config(4, 0, 4), out).optResume(true).build().run();
    assertEquals(2, longer.firstStep());
    assertEquals(4, longer.lastStep());
  }

  @Test
  void aNewRunRefusesToOverwriteACheckpoint() throws Exception {
    Path out = tmp.resolve("run");
    run(new FakeBackend(), config(1, 0, 4), out).build().run();
    ConfigException e = assertThrows(ConfigException.class,
        () -> run(new FakeBackend(), config(1, 0, 4), out).build().run());
    assertTrue(e.getMessage().contains("already holds a checkpoint"), e.getMessage());
  }

  @Test
  void summedMixingGivesTheTrainerOneWeightedBatchPerTask() throws Exception {
    FakeBackend backend = new FakeBackend();
    TrainConfig summed = TrainFixtures.train(TASKS, Map.of("detect", 3.0, "describe", 1.0),
        "summed", 2, 2, 1, 0, 1);
    List<StepMetrics> seen = new ArrayList<>();
    run(backend, summed, tmp.resolve("run")).optListener(new TrainingListener() {
      @Override
      public void onStep(StepMetrics m) {
        seen.add(m);
      }
    }).build().run();
    for (var step : backend.lastTrainer().batches()) {
      assertEquals(List.of("detect", "describe"), step.stream().map(b -> b.batch().task())
          .toList());
      assertEquals(List.of(0.75, 0.25), step.stream().map(b -> b.weight()).toList());
    }
    assertEquals(4, seen.get(0).images());
    assertEquals(List.of("detect", "describe"), seen.get(0).tasks());
    assertEquals(2, seen.get(0).taskLosses().size());
  }

  @Test
  void aTimeBudgetStopsTheRunAndSavesItsState() throws Exception {
    FakeBackend backend = new FakeBackend();
    Path out = tmp.resolve("run");
    TrainingRun run = run(backend, config(1000, 0, 4), out)
        .optTimeBudget(Duration.ofMillis(300))
        .build();
    TrainingSummary s = run.run();
    assertEquals(TrainingSummary.StopReason.TIME_BUDGET, s.reason());
    assertTrue(s.lastStep() < 1000);
    assertEquals(s.lastStep(), Checkpoint.readManifest(out).provenance().trainingStep());
    assertThrows(IllegalStateException.class, run::run);
  }

  @Test
  void aFailedCheckpointKeepsThePreviousOne() throws Exception {
    FakeBackend backend = new FakeBackend();
    // save 1 hands the fresh weights to CoordinateEmbeddingInit, save 2 is the step-2 checkpoint
    backend.failWeightSavesAfter(2);
    Path out = tmp.resolve("run");
    CheckpointException e = assertThrows(CheckpointException.class,
        () -> run(backend, config(6, 2, 4), out).build().run());
    assertTrue(e.getMessage().contains("injected failure"), e.getMessage());
    assertEquals(2, Checkpoint.readManifest(out).provenance().trainingStep());
    backend.failWeightSavesAfter(Integer.MAX_VALUE);
    TrainingSummary s = run(backend, config(6, 2, 4), out).optResume(true).build().run();
    assertEquals(2, s.firstStep());
    assertTrue(s.completed());
  }

  @Test
  void explicitTaskOptionsThatDoNotFitAreNamed() {
    ConfigException e = assertThrows(ConfigException.class,
        () -> run(new FakeBackend(), config(1, 0, 4), tmp.resolve("run"))
            .optTaskOptions("detect", DetectionOptions.defaults().withMaxObjects(40))
            .build().run());
    assertTrue(e.getMessage().contains("options of task 'detect': maxObjects=40 needs sequences "
        + "of 201 positions, more than the model's maxSequenceLength 128; use maxObjects <= 25"),
        e.getMessage());
  }

  @Test
  void unknownTasksAreNamed() {
    TrainConfig c = TrainFixtures.train(List.of("detect", "count"), Map.of(), "sampled", 1, 1, 1,
        0, 1);
    ConfigException e = assertThrows(ConfigException.class,
        () -> run(new FakeBackend(), c, tmp.resolve("run")).build().run());
    assertTrue(e.getMessage().contains("unknown task 'count'"), e.getMessage());
  }

  @Test
  void datasetProblemsNameTheFile() throws Exception {
    Path broken = TrainFixtures.dataset(tmp.resolve("broken"), 3);
    Path image = broken.resolve(CocoLayout.IMAGES).resolve("000001.png");
    Files.delete(image);
    DatasetException e = assertThrows(DatasetException.class,
        () -> runOn(broken));
    assertTrue(e.getMessage().contains(image + ": image file not found"), e.getMessage());

    Files.write(image, new byte[] {1, 2, 3, 4});
    e = assertThrows(DatasetException.class, () -> runOn(broken));
    assertTrue(e.getMessage().contains(image.toString()), e.getMessage());

    Path instances = new CocoLayout(broken).instancesFile();
    Files.writeString(instances, "{\"images\": [");
    e = assertThrows(DatasetException.class, () -> runOn(broken));
    assertTrue(e.getMessage().contains("instances.json"), e.getMessage());

    Path noCaptions = TrainFixtures.dataset(tmp.resolve("nocaptions"), 2);
    Files.delete(new CocoLayout(noCaptions).captionsFile());
    e = assertThrows(DatasetException.class, () -> runOn(noCaptions));
    assertTrue(e.getMessage().contains("task 'describe' has no image to learn from"),
        e.getMessage());
  }

  @Test
  void anInferenceOnlyBackendIsRefusedBeforeAnythingIsWritten() {
    Path out = tmp.resolve("inference-only");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> run(FakeBackend.inferenceOnly(), config(2, 0, 1), out).build());
    assertEquals("the fake-inference backend runs inference only; train with a backend that "
        + "trains", e.getMessage());
    assertFalse(Files.exists(out));
  }

  private void runOn(Path data) throws Exception {
    TrainingRun.builder().setDataset(data).setModelConfig(TrainFixtures.MODEL)
        .setTrainConfig(TrainFixtures.train(TASKS, Map.of(), "summed", 2, 3, 1, 0, 1))
        .setBackend(new FakeBackend()).setOutput(tmp.resolve("out-" + System.nanoTime()))
        .build().run();
  }

  @Test
  void plainProgressLinesGoToTheStream() throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    PrintStream stream = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    run(new FakeBackend(), config(4, 2, 4), tmp.resolve("run"))
        .optListener(new ProgressBar(stream, false)).build().run();
    String text = bytes.toString(StandardCharsets.UTF_8);
    assertFalse(text.contains("\r"));
    assertTrue(text.contains("step 1/4 [#####---------------]  25%  loss "), text);
    assertTrue(text.contains("step 4/4 [####################] 100%"), text);
    assertTrue(text.contains("checkpoint at step 2: "), text);
    assertTrue(text.contains("training finished at step 4 of 4"), text);
  }

  @Test
  void interactiveProgressRedrawsOneLine() throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    PrintStream stream = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    run(new FakeBackend(), config(3, 0, 4), tmp.resolve("run"))
        .optListener(new ProgressBar(stream, true)).build().run();
    String text = bytes.toString(StandardCharsets.UTF_8);
    assertTrue(text.startsWith("\rstep 1/3"), text);
    assertTrue(text.contains("\rstep 3/3 [####################] 100%"), text);
    assertEquals(2, text.split("\n", -1).length - 1, "bar line, then the summary: " + text);
  }
}
