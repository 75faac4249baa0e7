package dev.pix2seq.official.bundle;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** CRC32C masking, unknown protobuf fields in entries, the table's key shortening. */
class FormatPrimitivesTest {

  @Test
  void crc32cMatchesTheStandardCheckValuesAndTheMaskRoundTrips() {
    byte[] digits = "123456789".getBytes(StandardCharsets.US_ASCII);
    assertEquals(0xe3069283, Crc32c.value(digits, 0, digits.length));
    assertEquals(0x8a9136aa, Crc32c.value(new byte[32], 0, 32));
    for (int crc : new int[] {0, 1, 0xe3069283, 0xffffffff, 0x80000000}) {
      assertNotEquals(crc, Crc32c.mask(crc));
      assertEquals(crc, Crc32c.unmask(Crc32c.mask(crc)));
    }
    assertEquals(0xa282ead8, Crc32c.mask(0));
  }

  @Test
  void unknownEntryFieldsOfEveryWireTypeAreSkipped(@TempDir Path dir) throws Exception {
    byte[] known = BundleErrorsTest.entry(1, new long[] {1}, 0, 4);
    byte[] unknown = {
        (byte) (15 << 3), 0x05, // varint
        (byte) (14 << 3 | 1), 1, 2, 3, 4, 5, 6, 7, 8, // fixed64
        (byte) (13 << 3 | 2), 0x02, 0x41, 0x42, // length-delimited
        (byte) (12 << 3 | 5), 1, 2, 3, 4, // fixed32
    };
    byte[] entry = new byte[unknown.length + known.length];
    System.arraycopy(unknown, 0, entry, 0, unknown.length);
    System.arraycopy(known, 0, entry, unknown.length, known.length);
    Path prefix = dir.resolve("ckpt");
    byte[] zeros = new byte[4];
    BundleErrorsTest.craft(prefix, BundleErrorsTest.header(1, 0), "w", entry, zeros);
    try (TensorBundleReader r = TensorBundleReader.open(prefix)) {
      assertArrayEquals(new long[] {1}, r.entry("w").shape());
      assertEquals(4, r.entry("w").size());
    }
  }

  @Test
  void indexKeysAreShortenedAsTensorFlowDoes() {
    assertArrayEquals(bytes("abd"), IndexTableWriter.shortestSeparator(bytes("abc1xyz"),
        bytes("abf")));
    assertArrayEquals(bytes("abc"), IndexTableWriter.shortestSeparator(bytes("abc"),
        bytes("abcd")), "a prefix stays");
    assertArrayEquals(bytes("abc"), IndexTableWriter.shortestSeparator(bytes("abc"),
        bytes("abd")), "raising c would reach the limit");
    assertArrayEquals(bytes("b"), IndexTableWriter.shortSuccessor(bytes("abc")));
    byte[] ff = {(byte) 0xff, (byte) 0xff};
    assertArrayEquals(ff, IndexTableWriter.shortSuccessor(ff));
  }

  @Test
  void bundleFileNamesFollowTensorFlowsNaming() {
    Path p = Path.of("/x/ckpt-5");
    assertEquals(Path.of("/x/ckpt-5.index"), BundlePaths.indexFile(p));
    assertEquals(Path.of("/x/ckpt-5.data-00001-of-00012"), BundlePaths.dataFile(p, 1, 12));
    assertEquals(p, BundlePaths.prefixOf(Path.of("/x/ckpt-5.index")));
    assertEquals(p, BundlePaths.prefixOf(Path.of("/x/ckpt-5.data-00000-of-00001")));
    assertEquals(p, BundlePaths.prefixOf(p));
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }
}
