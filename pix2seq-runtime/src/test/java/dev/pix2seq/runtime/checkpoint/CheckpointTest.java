package dev.pix2seq.runtime.checkpoint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pix2seq.api.CheckpointException;
import dev.pix2seq.api.config.ConfigIO;
import dev.pix2seq.api.config.Device;
import dev.pix2seq.api.config.ModelConfig;
import dev.pix2seq.api.model.ImageFeatures;
import dev.pix2seq.api.value.ImageTensor;
import dev.pix2seq.data.synth.SceneOptions;
import dev.pix2seq.data.synth.SyntheticSceneGenerator;
import dev.pix2seq.runtime.backend.FakeBackend;
import dev.pix2seq.tasks.TaskContext;
import dev.pix2seq.tasks.describe.DescribeOptions;
import dev.pix2seq.tasks.detect.DetectionOptions;
import dev.pix2seq.tokenizer.BpeTokenizer;
import dev.pix2seq.tokenizer.Vocabulary;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointTest {
  private static final ModelConfig CONFIG = new ModelConfig(ModelConfig.CURRENT_VERSION, "test",
      32, 16, true, 1, 32, 2, 64, 1, 32, 2, 64, 64, 0, 0, 1e-6);
  private static final List<String> TASKS = List.of("detect", "describe");

  @TempDir Path tmp;
  private final FakeBackend backend = new FakeBackend();

  private static Vocabulary vocabulary() {
    BpeTokenizer text = BpeTokenizer.train(
        List.of("a red circle", "a blue square left of a red circle"), 40, 1);
    return new Vocabulary(Vocabulary.defaultLayout(),
        new SyntheticSceneGenerator(SceneOptions.defaults()).categories(), text);
  }

  private static TaskContext context(Vocabulary v) {
    return TaskContext.of(v)
        .withOptions("detect", DetectionOptions.defaults().withMaxObjects(12)
            .withNoisePadding(DetectionOptions.NoisePadding.NONE))
        .withOptions("describe", DescribeOptions.defaults().withMaxCaptionTokens(20));
  }

  private FakeBackend.FakeModel save(Path dir, long seed) throws CheckpointException {
    Vocabulary v = vocabulary();
    FakeBackend.FakeModel model = backend.create(CONFIG, v.size(), Device.CPU, seed);
    Checkpoint.save(dir, model, v,
        CheckpointManifest.of(model, context(v), TASKS, Provenance.now(backend.name(), 7)));
    return model;
  }

  private static float[][][] logits(dev.pix2seq.api.model.Pix2seqModel m) {
    ImageTensor image = ImageTensor.zeros(32, 32);
    java.util.Arrays.fill(image.pixels(), 0.25f);
    try (ImageFeatures f = m.encoder().encode(List.of(image))) {
      return m.decoder().logits(f, new int[] {0}, new int[][] {{10, 1005, 1100, 3001}});
    }
  }

  @Test
  void roundTripRestoresModelVocabularyAndTaskOptions() throws Exception {
    Path dir = tmp.resolve("ckpt");
    FakeBackend.FakeModel saved = save(dir, 3);
    for (String f : List.of("model.json", "vocab.json", "tokenizer.json",
        "weights.safetensors")) {
      assertTrue(Files.isRegularFile(dir.resolve(f)), f);
    }
    try (LoadedCheckpoint ckpt = Checkpoint.load(dir, backend, Device.CPU)) {
      Vocabulary expected = vocabulary();
      assertEquals(TASKS, ckpt.tasks());
      assertEquals(CONFIG, ckpt.manifest().model());
      assertEquals(expected.size(), ckpt.vocabulary().size());
      assertEquals(expected.layout(), ckpt.vocabulary().layout());
      assertEquals(expected.categories(), ckpt.vocabulary().categories());
      assertTrue(ckpt.vocabulary().categories().stream().anyMatch(c -> c.keypoints() != null));
      assertArrayEquals(expected.textTokens("a red square"),
          ckpt.vocabulary().textTokens("a red square"));
      assertEquals(context(expected).options(), ckpt.context().options());
      assertEquals("fake", ckpt.manifest().provenance().backend());
      assertEquals(7, ckpt.manifest().provenance().trainingStep());
      assertArrayEquals(saved.weights(), ((FakeBackend.FakeModel) ckpt.model()).weights());
      float[][][] a = logits(saved);
      float[][][] b = logits(ckpt.model());
      for (int t = 0; t < a[0].length; t++) {
        assertArrayEquals(a[0][t], b[0][t]);
      }
    }
  }

  @Test
  void aRunDirectoryResolvesToItsCheckpoint() throws Exception {
    Path run = tmp.resolve("run");
    save(run.resolve(Checkpoint.RUN_CHECKPOINT_DIR), 1);
    Files.writeString(run.resolve("metrics.jsonl"), "{\"step\":1}\n");
    assertEquals(run.resolve("checkpoint"), Checkpoint.resolve(run));
    assertEquals(TASKS, Checkpoint.readManifest(run).tasks());
    try (LoadedCheckpoint ckpt = Checkpoint.load(run, backend, Device.CPU)) {
      assertEquals(run.resolve("checkpoint"), ckpt.directory());
    }
  }

  @Test
  void replacingKeepsOtherFilesOfTheRunAndLeavesNoTemporaries() throws Exception {
    Path run = tmp.resolve("run");
    Path ckpt = run.resolve(Checkpoint.RUN_CHECKPOINT_DIR);
    save(ckpt, 1);
    Files.writeString(run.resolve("metrics.jsonl"), "{\"step\":1}\n");
    FakeBackend.FakeModel second = save(ckpt, 2);
    try (LoadedCheckpoint loaded = Checkpoint.load(run, backend, Device.CPU)) {
      assertArrayEquals(second.weights(), ((FakeBackend.FakeModel) loaded.model()).weights());
    }
    assertTrue(Files.exists(run.resolve("metrics.jsonl")));
    try (Stream<Path> s = Files.list(run)) {
      assertEquals(List.of("checkpoint", "metrics.jsonl"),
          s.map(p -> p.getFileName().toString()).sorted().toList());
    }
  }

  @Test
  void aFailureWhileWritingLeavesThePreviousCheckpointIntact() throws Exception {
    Path run = tmp.resolve("run");
    Path ckpt = run.resolve(Checkpoint.RUN_CHECKPOINT_DIR);
    FakeBackend.FakeModel first = save(ckpt, 1);
    backend.failWeightSavesAfter(0);
    CheckpointException e = assertThrows(CheckpointException.class, () -> save(ckpt, 2));
    assertTrue(e.getMessage().contains("injected failure"), e.getMessage());
    assertCheckpointHolds(run, first);

    backend.failWeightSavesAfter(Integer.MAX_VALUE);
    Vocabulary v = vocabulary();
    FakeBackend.FakeModel model = backend.create(CONFIG, v.size(), Device.CPU, 5);
    CheckpointManifest manifest =
        CheckpointManifest.of(model, context(v), TASKS, Provenance.now("fake", 9));
    assertThrows(IllegalStateException.class, () -> Checkpoint.save(ckpt, model, v, manifest,
        dir -> {
          throw new IllegalStateException("crash while writing the training state");
        }));
    assertCheckpointHolds(run, first);
  }

  private void assertCheckpointHolds(Path run, FakeBackend.FakeModel expected) throws Exception {
    try (LoadedCheckpoint loaded = Checkpoint.load(run, backend, Device.CPU)) {
      assertArrayEquals(expected.weights(), ((FakeBackend.FakeModel) loaded.model()).weights());
    }
    try (Stream<Path> s = Files.list(run)) {
      assertEquals(List.of("checkpoint"), s.map(p -> p.getFileName().toString()).toList());
    }
  }

  @Test
  void aSwapInterruptedBetweenItsRenamesIsRecovered() throws Exception {
    Path run = tmp.resolve("run");
    Path ckpt = run.resolve(Checkpoint.RUN_CHECKPOINT_DIR);
    FakeBackend.FakeModel first = save(ckpt, 1);
    Path previous = run.resolve(".checkpoint.previous");
    Files.move(ckpt, previous);
    assertEquals(previous, Checkpoint.resolve(run));
    try (LoadedCheckpoint loaded = Checkpoint.load(run, backend, Device.CPU)) {
      assertArrayEquals(first.weights(), ((FakeBackend.FakeModel) loaded.model()).weights());
    }
    FakeBackend.FakeModel second = save(ckpt, 2);
    assertFalse(Files.exists(previous));
    assertCheckpointHolds(run, second);
  }

  @Test
  void missingDirectoryOrManifestIsNamed() {
    CheckpointException e = assertThrows(CheckpointException.class,
        () -> Checkpoint.load(tmp.resolve("nothing"), backend, Device.CPU));
    assertTrue(e.getMessage().contains("nothing: no such checkpoint or run directory"),
        e.getMessage());
    e = assertThrows(CheckpointException.class, () -> Checkpoint.resolve(tmp));
    assertTrue(e.getMessage().contains("expected model.json in it or in its checkpoint/"),
        e.getMessage());
  }

  private Path saveAndEdit(java.util.function.Consumer<ObjectNode> edit) throws Exception {
    Path dir = tmp.resolve("edited");
    save(dir, 1);
    Path file = dir.resolve("model.json");
    ObjectNode root = (ObjectNode) ConfigIO.mapper().readTree(file.toFile());
    edit.accept(root);
    Files.write(file, ConfigIO.mapper().writeValueAsBytes(root));
    return dir;
  }

  private String loadError(Path dir) {
    return assertThrows(CheckpointException.class,
        () -> Checkpoint.load(dir, backend, Device.CPU)).getMessage();
  }

  @Test
  void malformedManifestsNameFileAndField() throws Exception {
    String m = loadError(saveAndEdit(r -> r.remove("model")));
    assertTrue(m.contains("model.json: field 'model' is missing"), m);

    m = loadError(saveAndEdit(r -> ((ObjectNode) r.get("model")).put("decoderLayers", "two")));
    assertTrue(m.contains("model.json: field 'model.decoderLayers'"), m);

    m = loadError(saveAndEdit(r -> r.put("formatVersion", 2)));
    assertTrue(m.contains("field 'formatVersion' is 2, newer than this build reads (1)"), m);

    m = loadError(saveAndEdit(r -> r.put("format", "something else")));
    assertTrue(m.contains("field 'format' must be \"pix2seq-checkpoint\""), m);

    m = loadError(saveAndEdit(r -> ((ObjectNode) r.get("taskOptions").get("detect"))
        .put("type", "com.example.Missing")));
    assertTrue(m.contains("field 'taskOptions.detect.type': options class com.example.Missing "
        + "is not on the class path"), m);

    m = loadError(saveAndEdit(r -> ((ObjectNode) r.get("taskOptions").get("detect")
        .get("values")).put("maxObjects", 0)));
    assertTrue(m.contains("taskOptions.detect.values") && m.contains("maxObjects"), m);

    m = loadError(saveAndEdit(r -> ((ObjectNode) r.get("taskOptions").get("detect")
        .get("values")).put("colour", "red")));
    assertTrue(m.contains("unknown field 'colour'"), m);

    // A misspelt top-level field would silently drop the trained task options.
    m = loadError(saveAndEdit(r -> r.set("taskOption", r.remove("taskOptions"))));
    assertTrue(m.contains("model.json: unknown field 'taskOption'")
        && m.contains("taskOptions"), m);

    m = loadError(saveAndEdit(r -> ((ObjectNode) r.get("layout")).put("padding", 0)));
    assertTrue(m.contains("layout") && m.contains("padding"), "nested fields too: " + m);

    m = loadError(saveAndEdit(r -> r.put("vocabSize", r.get("vocabSize").asInt() + 1)));
    assertTrue(m.contains("field 'vocabSize' is"), m);

    Path dir = tmp.resolve("garbled");
    save(dir, 1);
    Files.writeString(dir.resolve("model.json"), "{\"format\": ");
    m = loadError(dir);
    assertTrue(m.contains("model.json: not valid JSON"), m);
  }

  @Test
  void taskOptionsWithoutNewFieldsTakeTheDefaults() throws Exception {
    Path dir = saveAndEdit(r -> ((ObjectNode) r.get("taskOptions").get("detect").get("values"))
        .remove("eosWeight"));
    try (LoadedCheckpoint ckpt = Checkpoint.load(dir, backend, Device.CPU)) {
      DetectionOptions o = (DetectionOptions) ckpt.context().options().get("detect");
      assertEquals(12, o.maxObjects());
      assertEquals(DetectionOptions.DEFAULT_EOS_WEIGHT, o.eosWeight());
    }
  }

  @Test
  void missingOrDamagedFilesAreNamed() throws Exception {
    Path dir = tmp.resolve("damaged");
    save(dir, 1);
    Files.delete(dir.resolve("tokenizer.json"));
    String m = loadError(dir);
    assertTrue(m.contains("tokenizer.json"), m);

    save(dir, 1);
    Files.write(dir.resolve("weights.safetensors"), new byte[] {1, 2, 3});
    m = loadError(dir);
    assertTrue(m.contains("weights.safetensors"), m);
  }

  @Test
  void saveRejectsAManifestOfAnotherModel() throws Exception {
    Vocabulary v = vocabulary();
    FakeBackend.FakeModel model = backend.create(CONFIG, v.size(), Device.CPU, 1);
    FakeBackend.FakeModel other = backend.create(ModelConfig.preset("tiny"), v.size(),
        Device.CPU, 1);
    CheckpointManifest manifest =
        CheckpointManifest.of(other, context(v), TASKS, Provenance.now("fake", 0));
    assertThrows(IllegalArgumentException.class,
        () -> Checkpoint.save(tmp.resolve("x"), model, v, manifest));
    assertFalse(Files.exists(tmp.resolve("x")));
  }

  @Test
  void aDirectoryThatIsNotACheckpointIsNeverReplaced() throws Exception {
    Path dir = tmp.resolve("photos");
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("holiday.txt"), "keep me");
    CheckpointException e = assertThrows(CheckpointException.class, () -> save(dir, 1));
    assertTrue(e.getMessage().contains("refusing to replace a directory that is not a "
        + "checkpoint"), e.getMessage());
    assertEquals("keep me", Files.readString(dir.resolve("holiday.txt")));
    Path empty = tmp.resolve("empty");
    Files.createDirectories(empty);
    save(empty, 1);
    assertTrue(Files.isRegularFile(empty.resolve("model.json")));
  }

  @Test
  void manifestRequiresTaskTokensForItsTasks() {
    Vocabulary v = vocabulary();
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new CheckpointManifest(CheckpointManifest.CURRENT_FORMAT_VERSION, CONFIG, v.size(),
            v.layout(), v.categories(), List.of("count"), java.util.Map.of(),
            Provenance.now("fake", 0)));
    assertTrue(e.getMessage().contains("task 'count' has no task token"), e.getMessage());
  }
}
