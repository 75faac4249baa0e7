package dev.pix2seq.official.bundle;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pix2seq.api.CheckpointException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Every entry and every value of the bundles TensorFlow wrote, compared exactly. */
class GoldenBundleReaderTest {

  @ParameterizedTest
  @ValueSource(strings = {"object", "saved", "sharded", "sliced"})
  void everyEntryAndValueMatchesWhatTensorFlowRead(String bundle) throws Exception {
    JsonNode expected = GoldenBundles.expected(bundle);
    try (TensorBundleReader reader =
        TensorBundleReader.open(GoldenBundles.prefix(expected.get("prefix").asText()))) {
      assertEquals(expected.get("shards").asInt(), reader.numShards());
      List<String> names = new ArrayList<>();
      reader.entries().forEach(e -> names.add(e.name()));
      List<String> expectedNames = new ArrayList<>();
      expected.get("entries").fieldNames().forEachRemaining(expectedNames::add);
      assertEquals(expectedNames, names, "names, in TensorFlow's order");
      for (String name : expectedNames) {
        checkEntry(reader, name, expected.get("entries").get(name));
      }
    }
  }

  static void checkEntry(TensorBundleReader reader, String name, JsonNode want) throws Exception {
    BundleEntry e = reader.entry(name);
    assertEquals(want.get("dtype").asText(), e.dtypeName(), name);
    long[] shape = new long[want.get("shape").size()];
    for (int i = 0; i < shape.length; i++) {
      shape[i] = want.get("shape").get(i).asLong();
    }
    assertArrayEquals(shape, e.shape(), name);
    if (e.isPartitioned()) {
      return; // checked by partitionedVariablesAreListedButNotRead
    }
    switch (e.dtype()) {
      case FLOAT, HALF, BFLOAT16 -> {
        float[] got = reader.readFloats(name);
        assertEquals(want.get("values").size(), got.length, name);
        for (int i = 0; i < got.length; i++) {
          assertEquals((float) want.get("values").get(i).asDouble(), got[i], name + "[" + i + "]");
        }
      }
      case DOUBLE -> {
        float[] got = reader.readFloats(name);
        ByteBuffer raw = ByteBuffer.wrap(reader.readBytes(name)).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < got.length; i++) {
          double exact = want.get("values").get(i).asDouble();
          assertEquals((float) exact, got[i], name + "[" + i + "] rounded to float");
          assertEquals(exact, raw.getDouble(), name + "[" + i + "] raw double");
        }
      }
      case INT64, INT32 -> {
        long[] got = reader.readLongs(name);
        assertEquals(want.get("values").size(), got.length, name);
        for (int i = 0; i < got.length; i++) {
          assertEquals(want.get("values").get(i).asLong(), got[i], name + "[" + i + "]");
        }
      }
      case STRING -> {
        byte[][] got = reader.readStrings(name);
        assertEquals(want.get("lengths").size(), got.length, name);
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        for (int i = 0; i < got.length; i++) {
          assertEquals(want.get("lengths").get(i).asInt(), got[i].length, name);
          assertEquals(want.get("sha256").get(i).asText(),
              HexFormat.of().formatHex(sha.digest(got[i])), name);
        }
      }
      default -> throw new AssertionError("no golden tensor of " + e);
    }
  }

  @Test
  void theObjectCheckpointKeepsTensorFlowsNamesAndTheIndexSuffixStandsForThePrefix()
      throws Exception {
    Path index = GoldenBundles.prefix("object/ckpt-1.index");
    try (TensorBundleReader reader = TensorBundleReader.open(index)) {
      assertEquals(GoldenBundles.prefix("object/ckpt-1"), reader.prefix());
      BundleEntry kernel = reader.entry("model/encoder/kernel/.ATTRIBUTES/VARIABLE_VALUE");
      assertEquals(TfDataType.FLOAT, kernel.dtype());
      assertArrayEquals(new int[] {2, 2, 3, 4}, kernel.intShape());
      assertEquals(48L * 4, kernel.size());
      assertEquals(TfDataType.STRING, reader.entry("_CHECKPOINTABLE_OBJECT_GRAPH").dtype());
      assertEquals(1L, reader.readLongs("save_counter/.ATTRIBUTES/VARIABLE_VALUE")[0]);
      var tensor = reader.readFloatTensor("model/decoder/token_embedding/.ATTRIBUTES/VARIABLE_VALUE");
      assertArrayEquals(new int[] {6, 5}, tensor.shape());
      assertEquals(30, tensor.size());
    }
  }

  @Test
  void theShardedCheckpointSpreadsItsTensorsOverThreeDataFiles() throws Exception {
    try (TensorBundleReader reader = TensorBundleReader.open(GoldenBundles.prefix("sharded/ckpt"))) {
      Set<Integer> shards = new TreeSet<>();
      reader.entries().forEach(e -> shards.add(e.shard()));
      assertEquals(Set.of(0, 1, 2), shards);
    }
  }

  @Test
  void partitionedVariablesAreListedButNotRead() throws Exception {
    try (TensorBundleReader reader = TensorBundleReader.open(GoldenBundles.prefix("sliced/part"))) {
      assertEquals(List.of("b", "w"), reader.entries().stream().map(BundleEntry::name).toList(),
          "the per-slice entries are not listed");
      BundleEntry w = reader.entry("w");
      assertTrue(w.isPartitioned());
      assertEquals(2, w.slices());
      assertFalse(reader.entry("b").isPartitioned());
      assertArrayEquals(new float[] {1, 2}, reader.readFloats("b"));
      CheckpointException e = assertThrows(CheckpointException.class, () -> reader.readFloats("w"));
      assertEquals(reader.prefix() + ".index: tensor 'w' (DT_FLOAT [4, 3]) is a partitioned"
          + " variable saved as 2 slices; sliced tensors are not supported", e.getMessage());
    }
  }

  @Test
  void anIndexOfTwoDataBlocksAndManyRestartPointsReadsCompletely(@TempDir Path dir)
      throws Exception {
    Path prefix = GoldenBundles.unpackMany(dir);
    byte[] index = Files.readAllBytes(BundlePaths.indexFile(prefix));
    assertEquals(2, IndexTable.dataBlocks(prefix, index).size(), "data blocks");
    int count = GoldenBundles.expected("many").get("count").asInt();
    try (TensorBundleReader reader = TensorBundleReader.open(prefix)) {
      assertEquals(count + 2, reader.entries().size(), "plus save_counter and the object graph");
      for (int i = 0; i < count; i++) {
        String name = GoldenBundles.manyName(i);
        if (i % 5 == 0) {
          assertArrayEquals(new long[] {i * 3L}, reader.readLongs(name), name);
        } else {
          assertArrayEquals(new float[] {i * 0.5f}, reader.readFloats(name), name);
        }
      }
      assertEquals(1, reader.readStrings("_CHECKPOINTABLE_OBJECT_GRAPH").length);
    }
  }
}
