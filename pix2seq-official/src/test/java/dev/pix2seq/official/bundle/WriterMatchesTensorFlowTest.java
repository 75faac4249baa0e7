package dev.pix2seq.official.bundle;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Rewriting a TensorFlow bundle's tensors in their data-file order gives TensorFlow's bytes: the
 * same data file, and the same index (header, entry protos, block layout, separators, footer).
 */
class WriterMatchesTensorFlowTest {

  @ParameterizedTest
  @ValueSource(strings = {"object/ckpt-1", "saved/named"})
  void rewritingAGoldenBundleReproducesItByteForByte(String relative, @TempDir Path dir)
      throws Exception {
    assertRewriteIdentical(GoldenBundles.prefix(relative), dir.resolve("copy"));
  }

  @Test
  void rewritingTheTwoBlockIndexReproducesItByteForByte(@TempDir Path dir) throws Exception {
    Path prefix = GoldenBundles.unpackMany(dir.resolve("tf"));
    assertRewriteIdentical(prefix, dir.resolve("java").resolve("ckpt-1"));
  }

  static void assertRewriteIdentical(Path source, Path target) throws Exception {
    try (TensorBundleReader reader = TensorBundleReader.open(source);
        TensorBundleWriter writer = TensorBundleWriter.create(target)) {
      List<BundleEntry> byOffset = new ArrayList<>(reader.entries());
      byOffset.sort(Comparator.comparingLong(BundleEntry::offset));
      for (BundleEntry e : byOffset) {
        if (e.dtype() == TfDataType.STRING) {
          writer.addStrings(e.name(), e.shape(), reader.readStrings(e.name()));
        } else {
          writer.addBytes(e.name(), e.dtype(), e.shape(), reader.readBytes(e.name()));
        }
      }
      writer.finish();
    }
    assertArrayEquals(Files.readAllBytes(BundlePaths.dataFile(source, 0, 1)),
        Files.readAllBytes(BundlePaths.dataFile(target, 0, 1)), "data file");
    assertArrayEquals(Files.readAllBytes(BundlePaths.indexFile(source)),
        Files.readAllBytes(BundlePaths.indexFile(target)), "index file");
    try (var files = Files.list(target.getParent())) {
      assertEquals(2, files.count(), "no temporary files left behind");
    }
  }
}
