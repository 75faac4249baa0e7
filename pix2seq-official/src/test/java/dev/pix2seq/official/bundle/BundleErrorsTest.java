package dev.pix2seq.official.bundle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pix2seq.api.CheckpointException;
import dev.pix2seq.api.checkpoint.ProtobufWriter;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

/** Each broken or misnamed bundle gives one line that names the file and the problem. */
class BundleErrorsTest {

  private static final String KERNEL = "model/encoder/kernel/.ATTRIBUTES/VARIABLE_VALUE";

  @Test
  void aMissingIndexNamesTheExpectedPathAndTheCheckpointsBesideIt(@TempDir Path dir)
      throws Exception {
    GoldenBundles.copy("object/ckpt-1", dir);
    String m = message(() -> TensorBundleReader.open(dir.resolve("ckpt-9")));
    assertEquals("no TensorFlow checkpoint index at " + dir.resolve("ckpt-9.index")
        + " (expected <prefix>.index next to <prefix>.data-00000-of-0000N); prefixes in " + dir
        + ": " + dir.resolve("ckpt-1"), m);
  }

  @Test
  void aDirectoryListsTheCheckpointPrefixesInItInNumericOrder(@TempDir Path dir)
      throws Exception {
    Path empty = Files.createDirectory(dir.resolve("empty"));
    assertEquals(empty + " is a directory, not a checkpoint prefix; it holds no .index file",
        message(() -> TensorBundleReader.open(empty)));
    for (String name : new String[] {"ckpt-10", "ckpt-2", "ckpt-1"}) {
      Files.createFile(dir.resolve(name + ".index"));
    }
    assertEquals(dir + " is a directory, not a checkpoint prefix; pass one of the prefixes in"
        + " it: " + dir.resolve("ckpt-1") + ", " + dir.resolve("ckpt-2") + ", "
        + dir.resolve("ckpt-10"), message(() -> TensorBundleReader.open(dir)));
  }

  @Test
  void aTruncatedDataFileNamesTheTensorAndTheSizes(@TempDir Path dir) throws Exception {
    Path prefix = GoldenBundles.copy("object/ckpt-1", dir);
    Path data = BundlePaths.dataFile(prefix, 0, 1);
    List<BundleEntry> entries;
    try (TensorBundleReader r = TensorBundleReader.open(prefix)) {
      entries = r.entries();
    }
    long cut = Files.size(data) - 10;
    try (FileChannel c = FileChannel.open(data, StandardOpenOption.WRITE)) {
      c.truncate(cut);
    }
    BundleEntry hit = entries.stream().filter(e -> e.offset() + e.size() > cut).findFirst()
        .orElseThrow();
    assertEquals(data + " is truncated: tensor '" + hit.name() + "' (" + hit.dtypeName() + " "
        + Arrays.toString(hit.shape()) + ") needs bytes " + hit.offset() + " to "
        + (hit.offset() + hit.size()) + " but the file has " + cut + " bytes",
        message(() -> TensorBundleReader.open(prefix)));
  }

  @Test
  void aFlippedDataByteFailsThatTensorsChecksumWhenItIsRead(@TempDir Path dir) throws Exception {
    Path prefix = GoldenBundles.copy("object/ckpt-1", dir);
    BundleEntry kernel;
    try (TensorBundleReader r = TensorBundleReader.open(prefix)) {
      kernel = r.entry(KERNEL);
    }
    flip(BundlePaths.dataFile(prefix, 0, 1), kernel.offset() + 17);
    try (TensorBundleReader r = TensorBundleReader.open(prefix)) {
      r.readFloats("model/encoder/bias/.ATTRIBUTES/VARIABLE_VALUE"); // other tensors still read
      String m = message(() -> r.readFloats(KERNEL));
      assertTrue(Pattern.matches(Pattern.quote(BundlePaths.dataFile(prefix, 0, 1)
          + " fails the checksum of tensor '" + KERNEL + "' (192 bytes at offset "
          + kernel.offset() + "): stored " + Crc32c.hex(kernel.crc32c()) + ", computed ")
          + "[0-9a-f]{8}; the file is corrupt", m), m);
      assertTrue(message(() -> r.readBytes(KERNEL)).contains("fails the checksum"));
    }
  }

  @Test
  void aFlippedIndexByteFailsItsBlockChecksum(@TempDir Path dir) throws Exception {
    Path prefix = GoldenBundles.copy("object/ckpt-1", dir);
    Path index = BundlePaths.indexFile(prefix);
    flip(index, 40);
    String m = message(() -> TensorBundleReader.open(prefix));
    assertTrue(Pattern.matches(Pattern.quote(index + " fails the checksum of its data block at"
        + " offset 0 (") + "\\d+ bytes\\): stored [0-9a-f]{8}, computed [0-9a-f]{8}; the file is"
        + " corrupt", m), m);
  }

  @Test
  void aBadMagicOrAShortFileIsNotAnIndex(@TempDir Path dir) throws Exception {
    Path prefix = GoldenBundles.copy("object/ckpt-1", dir);
    Path index = BundlePaths.indexFile(prefix);
    flip(index, Files.size(index) - 1);
    assertEquals(index + " does not end with the table magic number 0xdb4775248b80fb57 (found"
        + " 0x244775248b80fb57): not a TensorFlow checkpoint index, or truncated",
        message(() -> TensorBundleReader.open(prefix)));
    Files.write(index, new byte[10]);
    assertEquals(index + " is 10 bytes, too short for a TensorFlow checkpoint index (the footer"
        + " alone is 48 bytes)", message(() -> TensorBundleReader.open(prefix)));
  }

  @Test
  void aSnappyCompressedBlockIsRejectedByName(@TempDir Path dir) throws Exception {
    Path prefix = GoldenBundles.copy("object/ckpt-1", dir);
    Path index = BundlePaths.indexFile(prefix);
    byte[] bytes = Files.readAllBytes(index);
    long[] block = IndexTable.dataBlocks(index, bytes).get(0);
    int type = (int) (block[0] + block[1]);
    bytes[type] = IndexTable.SNAPPY_COMPRESSION;
    IndexTableWriter.putFixed32(bytes, type + 1,
        Crc32c.mask(Crc32c.value(bytes, (int) block[0], (int) block[1] + 1)));
    Files.write(index, bytes);
    assertEquals(index + " has a snappy-compressed data block, which is not supported"
        + " (TensorFlow writes bundle indexes uncompressed)",
        message(() -> TensorBundleReader.open(prefix)));
  }

  @Test
  void aMissingShardIsNamed(@TempDir Path dir) throws Exception {
    Path prefix = GoldenBundles.copy("sharded/ckpt", dir);
    Path shard = BundlePaths.dataFile(prefix, 1, 3);
    Files.delete(shard);
    String m = message(() -> TensorBundleReader.open(prefix));
    assertTrue(Pattern.matches(Pattern.quote("missing data shard " + shard + " (shard 1 of 3,"
        + " holds ") + "\\d+ tensor\\(s\\), e\\.g\\. '.+'\\)", m), m);
  }

  @Test
  void anEntryWhoseSizeDoesNotFitDtypeAndShapeIsRejected(@TempDir Path dir) throws Exception {
    Path prefix = dir.resolve("ckpt");
    byte[] entry = entry(1, new long[] {3}, 0, 8);
    craft(prefix, header(1, 0), "w", entry, new byte[12]);
    assertEquals(dir.resolve("ckpt.index") + " entry 'w' is DT_FLOAT [3] = 3 x 4 bytes, but the"
        + " index says 8 bytes", message(() -> TensorBundleReader.open(prefix)));
  }

  @Test
  void aMalformedEntryNamesTheEntryAndTheByte(@TempDir Path dir) throws Exception {
    Path prefix = dir.resolve("ckpt");
    craft(prefix, header(1, 0), "w", new byte[] {0x08, (byte) 0x96}, new byte[4]);
    assertEquals(dir.resolve("ckpt.index") + " entry 'w' is not valid protobuf: truncated varint"
        + " at byte 1", message(() -> TensorBundleReader.open(prefix)));
  }

  @Test
  void anUnsupportedDtypeIsListedButNotRead(@TempDir Path dir) throws Exception {
    Path prefix = dir.resolve("ckpt");
    craft(prefix, header(1, 0), "f8", entry(24, new long[] {4}, 0, 4), new byte[4]);
    try (TensorBundleReader r = TensorBundleReader.open(prefix)) {
      BundleEntry e = r.entry("f8");
      assertEquals(TfDataType.UNSUPPORTED, e.dtype());
      assertEquals(24, e.dtypeCode());
      assertEquals("f8 DataType(24) [4]", e.toString());
      assertEquals(dir.resolve("ckpt.index") + ": tensor 'f8' is DataType(24) [4], not a"
          + " floating-point tensor (DT_FLOAT, DT_HALF, DT_BFLOAT16, DT_DOUBLE)",
          message(() -> r.readFloats("f8")));
    }
  }

  @Test
  void aBigEndianBundleIsRejected(@TempDir Path dir) throws Exception {
    Path prefix = dir.resolve("ckpt");
    craft(prefix, header(1, 1), "w", entry(1, new long[] {1}, 0, 4), new byte[4]);
    assertEquals(dir.resolve("ckpt.index") + " was written on a big-endian machine; only"
        + " little-endian bundles are supported", message(() -> TensorBundleReader.open(prefix)));
  }

  @Test
  void anUnknownNameSuggestsSimilarOnes() throws Exception {
    try (TensorBundleReader r = TensorBundleReader.open(GoldenBundles.prefix("object/ckpt-1"))) {
      String m = message(() -> r.readFloats("model/encoder/kernal/.ATTRIBUTES/VARIABLE_VALUE"));
      assertTrue(m.startsWith(r.prefix() + ".index has no tensor"
          + " 'model/encoder/kernal/.ATTRIBUTES/VARIABLE_VALUE' among its 14 entries; similar"
          + " names: " + KERNEL + ", model/encoder/bias/.ATTRIBUTES/VARIABLE_VALUE, "), m);
      assertEquals(5, m.substring(m.indexOf("similar names: ")).split(", ").length);
      String bare = message(() -> r.entry("model/encoder/kernal"));
      assertTrue(bare.contains("; similar names: " + KERNEL + ", "), bare);
    }
  }

  private static String message(Executable call) {
    String m = assertThrows(CheckpointException.class, call).getMessage();
    assertFalse(m.contains("\n"), "one line: " + m);
    return m;
  }

  private static void flip(Path file, long at) throws Exception {
    byte[] bytes = Files.readAllBytes(file);
    bytes[(int) at] ^= (byte) 0xff;
    Files.write(file, bytes);
  }

  static byte[] header(int numShards, int endianness) {
    return new ProtobufWriter().varint(1, numShards).varint(2, endianness)
        .message(3, new ProtobufWriter().varint(1, 1)).toByteArray();
  }

  static byte[] entry(int dtype, long[] shape, long offset, long size) {
    ProtobufWriter dims = new ProtobufWriter();
    for (long d : shape) {
      dims.message(2, new ProtobufWriter().varint(1, d));
    }
    return new ProtobufWriter().varint(1, dtype).message(2, dims).varint(4, offset)
        .varint(5, size).toByteArray();
  }

  /** A one-entry, one-shard bundle with the given protos. */
  static void craft(Path prefix, byte[] header, String name, byte[] entry, byte[] data)
      throws Exception {
    IndexTableWriter table = new IndexTableWriter(IndexTableWriter.DEFAULT_BLOCK_SIZE);
    table.add(new byte[0], header);
    table.add(name.getBytes(java.nio.charset.StandardCharsets.UTF_8), entry);
    Files.write(BundlePaths.indexFile(prefix), table.finish());
    Files.write(BundlePaths.dataFile(prefix, 0, 1), data);
  }
}
