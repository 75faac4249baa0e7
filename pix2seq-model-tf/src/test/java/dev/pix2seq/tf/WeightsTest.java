package dev.pix2seq.tf;

import static dev.pix2seq.tf.TestFixtures.VOCAB;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pix2seq.api.CheckpointException;
import dev.pix2seq.api.checkpoint.NamedTensor;
import dev.pix2seq.api.checkpoint.SafeTensors;
import dev.pix2seq.api.config.Device;
import dev.pix2seq.api.config.ModelConfig;
import dev.pix2seq.api.model.ImageFeatures;
import dev.pix2seq.api.model.Pix2seqModel;
import dev.pix2seq.api.network.InitialWeights;
import dev.pix2seq.api.network.ParameterLayout;
import dev.pix2seq.api.network.ParameterSpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WeightsTest {

  private static final ModelConfig CONFIG = TestFixtures.smallConfig(true);
  private static Pix2seqModel model;
  private static Path saved;

  @BeforeAll
  static void saveOnce(@TempDir Path dir) throws CheckpointException {
    model = new TfBackend().create(CONFIG, VOCAB, Device.CPU, 3);
    saved = dir.resolve("checkpoint");
    model.saveWeights(saved);
  }

  @AfterAll
  static void close() {
    model.close();
  }

  @Test
  void saveThenLoadGivesBitIdenticalLogits() throws CheckpointException {
    int[][] tokens = TestFixtures.tokens(2, 5, VOCAB, 4);
    try (Pix2seqModel loaded = new TfBackend().load(saved, CONFIG, VOCAB, Device.CPU);
        ImageFeatures a = model.encoder().encode(TestFixtures.images(2, 32, 6));
        ImageFeatures b = loaded.encoder().encode(TestFixtures.images(2, 32, 6))) {
      float[][][] expected = model.decoder().logits(a, new int[] {0, 1}, tokens);
      float[][][] actual = loaded.decoder().logits(b, new int[] {0, 1}, tokens);
      for (int r = 0; r < 2; r++) {
        for (int t = 0; t < 5; t++) {
          assertArrayEquals(expected[r][t], actual[r][t]);
        }
      }
    }
  }

  @Test
  void savedValuesAreTheInitialDraw() throws CheckpointException {
    Map<String, NamedTensor> file = SafeTensors.read(saved.resolve("weights.safetensors"))
        .tensors();
    for (NamedTensor expected : InitialWeights.draw(ParameterLayout.of(CONFIG, VOCAB), 3)) {
      assertEquals(expected, file.get(expected.name()), expected.name());
    }
  }

  @Test
  void fileHoldsEveryParameterByItsDocumentedName() throws CheckpointException {
    SafeTensors.Contents contents = SafeTensors.read(saved.resolve("weights.safetensors"));
    ParameterLayout layout = ParameterLayout.of(CONFIG, VOCAB);
    List<String> names = new ArrayList<>(contents.tensors().keySet());
    List<String> expected = new ArrayList<>();
    for (ParameterSpec spec : layout.specs()) {
      expected.add(spec.name());
    }
    assertEquals(expected, names);
    assertArrayEquals(new int[] {96, 32},
        contents.tensors().get("encoder.layers.1.attention.qkv.weight").shape());
    assertArrayEquals(new int[] {VOCAB, 32},
        contents.tensors().get("decoder.token_embedding").shape());
    assertArrayEquals(new int[] {8, 3, 3, 3},
        contents.tensors().get("encoder.stem.0.weight").shape());
    assertArrayEquals(new int[] {32, 16, 2, 2},
        contents.tensors().get("encoder.patch.weight").shape());
    assertArrayEquals(new int[] {64, 32},
        contents.tensors().get("decoder.layers.0.cross_attention.key_value.weight").shape());
    assertEquals("pix2seq-weights-v1", contents.metadata().get("pix2seq.format"));
  }

  @Test
  void documentedSizesOfThePresets() {
    assertEquals(1_701_024, ParameterLayout.of(ModelConfig.preset("tiny"), 4096).parameterCount());
    assertEquals(91, ParameterLayout.of(ModelConfig.preset("tiny"), 4096).specs().size());
    assertEquals(2_389_344, ParameterLayout.of(ModelConfig.preset("demo"), 4096).parameterCount());
    assertEquals(115_732_224,
        ParameterLayout.of(ModelConfig.preset("base"), 4096).parameterCount());
    assertEquals(285, ParameterLayout.of(ModelConfig.preset("base"), 4096).specs().size());
  }

  @Test
  void missingFileIsACheckpointError(@TempDir Path empty) {
    CheckpointException e = assertThrows(CheckpointException.class,
        () -> new TfBackend().load(empty, CONFIG, VOCAB, Device.CPU));
    assertTrue(e.getMessage().contains("does not exist"), e.getMessage());
  }

  @Test
  void truncatedFileIsRejected(@TempDir Path dir) throws IOException {
    byte[] bytes = Files.readAllBytes(saved.resolve("weights.safetensors"));
    Files.write(dir.resolve("weights.safetensors"),
        java.util.Arrays.copyOf(bytes, bytes.length - 100));
    assertLoadFails(dir, "truncated");
  }

  @Test
  void flippedDataBytesAreRejected(@TempDir Path dir) throws IOException {
    byte[] bytes = Files.readAllBytes(saved.resolve("weights.safetensors"));
    bytes[bytes.length - 10] ^= 0x5A;
    Files.write(dir.resolve("weights.safetensors"), bytes);
    assertLoadFails(dir, "checksum");
  }

  @Test
  void changedHeaderShapeIsRejected(@TempDir Path dir) throws IOException {
    byte[] bytes = Files.readAllBytes(saved.resolve("weights.safetensors"));
    String text = new String(bytes, StandardCharsets.ISO_8859_1);
    String entry = "\"decoder.output_bias\":{\"dtype\":\"F32\",\"shape\":[50]";
    assertTrue(text.contains(entry));
    text = text.replace(entry, entry.replace("[50]", "[49]"));
    Files.write(dir.resolve("weights.safetensors"), text.getBytes(StandardCharsets.ISO_8859_1));
    assertLoadFails(dir, "decoder.output_bias");
  }

  @Test
  void wrongShapeMissingExtraAndNonFiniteTensorsAreNamed(@TempDir Path dir)
      throws CheckpointException {
    Map<String, NamedTensor> tensors = SafeTensors.read(saved.resolve("weights.safetensors"))
        .tensors();
    List<NamedTensor> reshaped = new ArrayList<>();
    for (NamedTensor t : tensors.values()) {
      reshaped.add(t.name().equals("bridge.norm.weight")
          ? new NamedTensor(t.name(), new int[] {2, 16}, t.data())
          : t);
    }
    writeAndExpect(dir.resolve("shape"), reshaped,
        "'bridge.norm.weight' has shape [2, 16], expected [32]");

    List<NamedTensor> missing = new ArrayList<>(tensors.values());
    missing.removeIf(t -> t.name().equals("decoder.layers.1.mlp.fc2.bias"));
    writeAndExpect(dir.resolve("missing"), missing,
        "'decoder.layers.1.mlp.fc2.bias' is missing");

    List<NamedTensor> extra = new ArrayList<>(tensors.values());
    extra.add(new NamedTensor("decoder.layers.2.mlp.fc2.bias", new int[] {32}, new float[32]));
    extra.add(new NamedTensor("encoder.cls_token", new int[] {1, 32}, new float[32]));
    writeAndExpect(dir.resolve("extra"), extra,
        "[decoder.layers.2.mlp.fc2.bias, encoder.cls_token]");

    List<NamedTensor> nan = new ArrayList<>();
    for (NamedTensor t : tensors.values()) {
      if (t.name().equals("decoder.norm.bias")) {
        float[] data = t.data().clone();
        data[3] = Float.NaN;
        t = new NamedTensor(t.name(), t.shape(), data);
      }
      nan.add(t);
    }
    writeAndExpect(dir.resolve("nan"), nan, "'decoder.norm.bias' holds a non-finite value");
  }

  @Test
  void otherArchitectureIsRejected() {
    ModelConfig wider = new ModelConfig(1, "test", 32, 8, true, 2, 32, 2, 64, 2, 32, 2, 128, 24,
        0.0, 0.0, 1e-6);
    assertLoadFails(saved, wider, "has shape [64, 32], expected [128, 32]");
  }

  @Test
  void parameterNamesAreUniqueAndDecayOnlyHitsMatrices() {
    ParameterLayout layout = ParameterLayout.of(ModelConfig.preset("base"), 4000);
    Set<String> names = new HashSet<>();
    for (ParameterSpec spec : layout.specs()) {
      assertTrue(names.add(spec.name()), spec.name());
      assertEquals(spec.shape().length >= 2 && !spec.name().equals("decoder.position_embedding"),
          spec.decayed(), spec.name());
    }
    assertFalse(names.contains("encoder.stem.0.weight"));
  }

  private static void writeAndExpect(Path dir, List<NamedTensor> tensors, String expected)
      throws CheckpointException {
    SafeTensors.write(dir.resolve("weights.safetensors"), tensors, Map.of());
    assertLoadFails(dir, expected);
  }

  private static void assertLoadFails(Path dir, String expected) {
    assertLoadFails(dir, CONFIG, expected);
  }

  private static void assertLoadFails(Path dir, ModelConfig config, String expected) {
    CheckpointException e = assertThrows(CheckpointException.class,
        () -> new TfBackend().load(dir, config, VOCAB, Device.CPU).close());
    assertTrue(e.getMessage().contains(expected),
        "message should contain '" + expected + "': " + e.getMessage());
    assertTrue(e.getMessage().contains("weights.safetensors"), e.getMessage());
  }
}
