package dev.pix2seq.official;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pix2seq.api.CheckpointException;
import dev.pix2seq.api.ConfigException;
import dev.pix2seq.api.Pix2seqException;
import dev.pix2seq.api.checkpoint.NamedTensor;
import dev.pix2seq.api.checkpoint.SafeTensors;
import dev.pix2seq.api.config.ModelConfig;
import dev.pix2seq.api.config.NetworkVariant;
import dev.pix2seq.api.value.Category;
import dev.pix2seq.official.bundle.BundleEntry;
import dev.pix2seq.official.bundle.TensorBundleReader;
import dev.pix2seq.official.bundle.TensorBundleWriter;
import dev.pix2seq.official.bundle.TfDataType;
import dev.pix2seq.runtime.checkpoint.Checkpoint;
import dev.pix2seq.runtime.checkpoint.CheckpointManifest;
import dev.pix2seq.tokenizer.SentencePieceTokenizer;
import dev.pix2seq.tokenizer.TextTokenizer;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Importing checkpoints in the released layout: the round trip and every refusal. */
class OfficialImportTest {

  /** A small official network: 4 x 4 patches, two layers of 16 on each side. */
  static final ModelConfig SMALL = new ModelConfig(ModelConfig.CURRENT_VERSION, "official", 32, 8,
      false, 2, 16, 2, 32, 2, 16, 2, 32, 40, 0.0, 0.0, 1e-6, NetworkVariant.OFFICIAL);
  static final int VOCAB = 3256;

  @TempDir Path tmp;
  private Path prefix;
  private TextTokenizer text;

  @BeforeEach
  void writeSmallCheckpoint() throws Exception {
    prefix = tmp.resolve("release/ckpt-7");
    Files.createDirectories(prefix.getParent());
    ReleasedCheckpointWriter.writeRandom(prefix, SMALL, VOCAB, 7);
    text = SentencePieceTokenizer.open(
        Path.of(getClass().getResource("/official/spm-256.model").toURI()));
  }

  private OfficialImport.Builder importOf(Path checkpoint) {
    return OfficialImport.builder()
        .setCheckpoint(checkpoint)
        .setRunConfig(runConfig(Map.of()))
        .optTextTokenizer(text);
  }

  private static OfficialRunConfig runConfig(Map<String, Integer> sizes) {
    Map<String, Integer> tasks = new LinkedHashMap<>();
    tasks.put("detect", 10);
    tasks.put("segment", 11);
    tasks.put("keypoint", 12);
    tasks.put("describe", 13);
    return new OfficialRunConfig(32, 1000, 3000, 1000, tasks, sizes);
  }

  @Test
  void importWritesACheckpointThatWritesBackTheSameFile() throws Exception {
    Path out = tmp.resolve("run");
    OfficialImport.Result r = importOf(prefix).build().writeTo(out);
    assertEquals(SMALL, r.model());
    assertEquals(VOCAB, r.vocabSize());
    assertEquals(7, r.step());
    assertEquals(3, r.skipped(), "global_step, save_counter and the object graph");

    CheckpointManifest manifest = Checkpoint.readManifest(out);
    assertEquals(SMALL, manifest.model());
    assertEquals(List.of("detect", "segment", "keypoint", "describe"), manifest.tasks());
    assertEquals(3000, manifest.layout().textBase());
    assertEquals(1000, manifest.layout().coordBase());
    assertEquals(11, manifest.layout().taskToken("segment"));
    Category person = manifest.categories().get(1);
    assertEquals("person", person.name(), "class token 101 is COCO id 1");
    assertEquals(17, person.keypointSchema().orElseThrow().size());
    assertEquals("unused-12", manifest.categories().get(12).name(), "COCO has no id 12");

    Map<String, NamedTensor> weights =
        SafeTensors.read(out.resolve(Checkpoint.WEIGHTS_FILE)).tensors();
    Path back = tmp.resolve("back/ckpt-7");
    Files.createDirectories(back.getParent());
    ReleasedCheckpointWriter.write(back, SMALL, VOCAB, 7, name -> weights.get(name).data());
    try (TensorBundleReader original = TensorBundleReader.open(prefix);
        TensorBundleReader written = TensorBundleReader.open(back)) {
      int compared = 0;
      for (BundleEntry e : original.entries()) {
        if (e.dtype() == TfDataType.FLOAT) {
          assertArrayEquals(original.readFloats(e.name()), written.readFloats(e.name()),
              e.name());
          compared++;
        }
      }
      assertEquals(105, compared, "every model variable of a 2 + 2 layer network");
    }
  }

  @Test
  void aDetectionOnlyCheckpointNeedsNoTokenizer() throws Exception {
    Path detection = tmp.resolve("det/ckpt-3");
    Files.createDirectories(detection.getParent());
    ReleasedCheckpointWriter.writeRandom(detection, SMALL, 3000, 3);
    Map<String, Integer> sizes = new LinkedHashMap<>(OfficialVariant.DETECTION_VIT_B_640
        .runConfig().modelSizes());
    sizes.keySet().retainAll(List.of("vocab_size"));
    OfficialRunConfig detectOnly = new OfficialRunConfig(32, 1000, 3000, 1000,
        Map.of("detect", 10), sizes);
    Path out = tmp.resolve("run");
    OfficialImport.builder().setCheckpoint(detection).setRunConfig(detectOnly).build()
        .writeTo(out);
    CheckpointManifest manifest = Checkpoint.readManifest(out);
    assertEquals(3000, manifest.vocabSize());
    assertEquals(List.of("detect"), manifest.tasks());
    assertEquals(0, dev.pix2seq.tokenizer.Vocabulary.load(out).textTokenizer().size(),
        "the vocabulary has no text tokens and loads back without a tokenizer model");
  }

  @Test
  void missingIndexIsNamedAndNothingIsWritten() {
    Path out = tmp.resolve("run");
    CheckpointException e = assertThrows(CheckpointException.class,
        () -> importOf(tmp.resolve("release/ckpt-99")).build().writeTo(out));
    assertTrue(e.getMessage().contains("ckpt-99.index"), e.getMessage());
    assertFalse(Files.exists(out));
  }

  @Test
  void truncatedDataFileIsRefused() throws Exception {
    Path data = prefix.resolveSibling("ckpt-7.data-00000-of-00001");
    try (RandomAccessFile f = new RandomAccessFile(data.toFile(), "rw")) {
      f.setLength(f.length() / 2);
    }
    Path out = tmp.resolve("run");
    CheckpointException e = assertThrows(CheckpointException.class,
        () -> importOf(prefix).build().writeTo(out));
    assertTrue(e.getMessage().contains("ckpt-7.data-00000-of-00001"), e.getMessage());
    assertFalse(Files.exists(out));
  }

  @Test
  void anotherArchitectureListsMissingAndUnusedVariables() throws Exception {
    String dropped = "model/decoder/decoder/dec_layers/1/cross_ln/beta";
    String extra = "model/encoder/cls_token_embedding";
    Path other = copy("other/ckpt-7", e -> !e.name().startsWith(dropped + "/"),
        extra + ReleasedLayout.VALUE_SUFFIX);
    Path out = tmp.resolve("run");
    CheckpointException e = assertThrows(CheckpointException.class,
        () -> importOf(other).build().writeTo(out));
    assertTrue(e.getMessage().contains("missing (1): " + dropped), e.getMessage());
    assertTrue(e.getMessage().contains("unused (not part of that network) (1): " + extra),
        e.getMessage());
    assertFalse(Files.exists(out));
  }

  @Test
  void configOfAnotherSizeIsRefusedByField() {
    Path out = tmp.resolve("run");
    OfficialImport wrong = OfficialImport.builder().setCheckpoint(prefix)
        .setRunConfig(runConfig(Map.of("dim_att", 768, "num_decoder_layers", 2)))
        .optTextTokenizer(text).build();
    CheckpointException e = assertThrows(CheckpointException.class, () -> wrong.writeTo(out));
    assertTrue(e.getMessage().contains("model.dim_att is 768 in the config, 16 in the checkpoint"),
        e.getMessage());
    assertFalse(Files.exists(out));
  }

  @Test
  void aVariantIsCheckedAgainstTheCheckpointsShapes() {
    Path out = tmp.resolve("run");
    OfficialImport wrong = OfficialImport.builder().setCheckpoint(prefix)
        .setRunConfig(OfficialVariant.MULTITASK_VIT_B_640.runConfig())
        .optTextTokenizer(text).build();
    CheckpointException e = assertThrows(CheckpointException.class, () -> wrong.writeTo(out));
    assertTrue(e.getMessage().contains("model.dim_att is 768 in the config, 16 in the checkpoint"),
        e.getMessage());
    assertFalse(Files.exists(out));
  }

  @Test
  void captionsNeedTheSentencepieceModelOfTheRightSize() throws Exception {
    Path out = tmp.resolve("run");
    ConfigException none = assertThrows(ConfigException.class, () -> OfficialImport.builder()
        .setCheckpoint(prefix).setRunConfig(runConfig(Map.of())).build().writeTo(out));
    assertTrue(none.getMessage().contains("--sentencepiece"), none.getMessage());

    Path bigger = tmp.resolve("bigger/ckpt-1");
    Files.createDirectories(bigger.getParent());
    ReleasedCheckpointWriter.writeRandom(bigger, SMALL, VOCAB + 4, 1);
    ConfigException size = assertThrows(ConfigException.class,
        () -> importOf(bigger).build().writeTo(out));
    assertTrue(size.getMessage().contains("the text tokenizer has 256 tokens but the checkpoint's"
        + " vocabulary has 260 text tokens"), size.getMessage());
    assertFalse(Files.exists(out));
  }

  @Test
  void aFolderThatHoldsSomethingElseIsNeverReplaced() throws Exception {
    Path out = tmp.resolve("mine");
    Files.createDirectories(out);
    Files.writeString(out.resolve("notes.txt"), "keep me");
    assertThrows(Pix2seqException.class, () -> importOf(prefix).build().writeTo(out));
    assertEquals("keep me", Files.readString(out.resolve("notes.txt")));
  }

  @Test
  void unknownVariantNamesTheKnownOnes() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> OfficialVariant.of("vit-b"));
    assertTrue(e.getMessage().contains("multitask-vit-b-640, multitask-vit-b-1024"),
        e.getMessage());
  }

  /** The small checkpoint without the entries {@code keep} rejects, plus one float variable. */
  private Path copy(String name, Predicate<BundleEntry> keep, String extraKey) throws IOException,
      Pix2seqException {
    Path target = tmp.resolve(name);
    Files.createDirectories(target.getParent());
    try (TensorBundleReader in = TensorBundleReader.open(prefix);
        TensorBundleWriter out = TensorBundleWriter.create(target)) {
      for (BundleEntry e : in.entries()) {
        if (!keep.test(e)) {
          continue;
        }
        if (e.dtype() == TfDataType.FLOAT) {
          out.addFloats(e.name(), e.shape(), in.readFloats(e.name()));
        } else if (e.dtype() == TfDataType.INT64) {
          out.addLongs(e.name(), e.shape(), in.readLongs(e.name()));
        }
      }
      out.addFloats(extraKey, new long[] {1, 16}, new float[16]);
      out.finish();
    }
    return target;
  }
}
