package dev.pix2seq.official.bundle;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fixed case that {@code make_bundles.py verify-java} reads with TensorFlow: the writer must
 * keep producing the committed {@code bundles/java/written.*} bytes, which TensorFlow read back
 * with identical names, shapes and values. Index blocks of 256 bytes give the index several data
 * blocks. To regenerate the committed files, run this test with
 * {@code -Dtensorbundle.golden.dir=<folder>}.
 */
class JavaWrittenBundleTest {

  static final String GRAPH = "_CHECKPOINTABLE_OBJECT_GRAPH";
  static final byte[] GRAPH_BYTES = concat(
      "pix2seq-java test bundle ".getBytes(StandardCharsets.US_ASCII), new byte[] {0, (byte) 0xff});

  /** Keep in step with java_fixed_case() in make_bundles.py. */
  static void writeFixedCase(Path prefix) throws Exception {
    try (TensorBundleWriter w = TensorBundleWriter.create(prefix, 256)) {
      float[] embedding = new float[35];
      for (int i = 0; i < embedding.length; i++) {
        embedding[i] = i * 0.25f - 4.0f;
      }
      w.addFloats("model/decoder/ar_decoder.Stoken_embedding/.ATTRIBUTES/VARIABLE_VALUE",
          new long[] {7, 5}, embedding);
      float[] kernel = new float[24];
      for (int i = 0; i < kernel.length; i++) {
        kernel[i] = (i % 7) * -1.5f + 0.125f;
      }
      w.addFloats("model/encoder/kernel/.ATTRIBUTES/VARIABLE_VALUE", new long[] {2, 3, 2, 2},
          kernel);
      w.addFloats("scalar/.ATTRIBUTES/VARIABLE_VALUE", new long[0], new float[] {3.5f});
      w.addFloats("empty/.ATTRIBUTES/VARIABLE_VALUE", new long[] {0, 4}, new float[0]);
      w.addLongs("save_counter/.ATTRIBUTES/VARIABLE_VALUE", new long[0], new long[] {7});
      w.addLongs("counts", new long[] {3}, new long[] {-1, 0, (1L << 40) + 3});
      w.addString(GRAPH, GRAPH_BYTES);
      for (int layer = 0; layer < 40; layer++) {
        w.addFloats(String.format("layer_%02d/w/.ATTRIBUTES/VARIABLE_VALUE", layer),
            new long[] {2}, new float[] {layer, -layer});
      }
      w.finish();
    }
  }

  @Test
  void theWriterStillProducesTheBundleTensorFlowReadBack(@TempDir Path dir) throws Exception {
    Path written = dir.resolve("written");
    writeFixedCase(written);
    String out = System.getProperty("tensorbundle.golden.dir");
    if (out != null && !out.isBlank()) {
      writeFixedCase(Path.of(out).resolve("written"));
    }
    Path golden = GoldenBundles.prefix("java/written");
    assertArrayEquals(Files.readAllBytes(BundlePaths.indexFile(golden)),
        Files.readAllBytes(BundlePaths.indexFile(written)), "index file");
    assertArrayEquals(Files.readAllBytes(BundlePaths.dataFile(golden, 0, 1)),
        Files.readAllBytes(BundlePaths.dataFile(written, 0, 1)), "data file");
    assertTrue(IndexTable.dataBlocks(written, Files.readAllBytes(BundlePaths.indexFile(written)))
        .size() > 5, "several index data blocks");
  }

  @Test
  void theJavaReaderReadsItBack(@TempDir Path dir) throws Exception {
    Path prefix = dir.resolve("written");
    writeFixedCase(prefix);
    try (TensorBundleReader r = TensorBundleReader.open(prefix)) {
      assertEquals(47, r.entries().size());
      assertEquals(1, r.numShards());
      float[] e = r.readFloats("model/decoder/ar_decoder.Stoken_embedding/.ATTRIBUTES/VARIABLE_VALUE");
      assertEquals(-4.0f, e[0]);
      assertEquals(4.5f, e[34]);
      assertArrayEquals(new float[] {3.5f}, r.readFloats("scalar/.ATTRIBUTES/VARIABLE_VALUE"));
      assertArrayEquals(new long[] {0, 4}, r.entry("empty/.ATTRIBUTES/VARIABLE_VALUE").shape());
      assertEquals(0, r.readFloats("empty/.ATTRIBUTES/VARIABLE_VALUE").length);
      assertArrayEquals(new long[] {-1, 0, (1L << 40) + 3}, r.readLongs("counts"));
      assertArrayEquals(new byte[][] {GRAPH_BYTES}, r.readStrings(GRAPH));
      assertArrayEquals(new float[] {39, -39},
          r.readFloats("layer_39/w/.ATTRIBUTES/VARIABLE_VALUE"));
    }
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] c = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, c, a.length, b.length);
    return c;
  }
}
