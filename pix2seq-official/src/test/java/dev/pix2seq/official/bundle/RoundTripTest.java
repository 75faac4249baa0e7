package dev.pix2seq.official.bundle;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pix2seq.api.CheckpointException;
import dev.pix2seq.api.checkpoint.NamedTensor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Java writer to Java reader. */
class RoundTripTest {

  @Test
  void tensorsOfEveryWritableKindComeBackExactly(@TempDir Path dir) throws Exception {
    Random rnd = new Random(7);
    float[] big = new float[700_001]; // several 1 MiB chunks, and not a multiple of one
    for (int i = 0; i < big.length; i++) {
      big[i] = (float) rnd.nextGaussian();
    }
    long[] longs = new long[300_000];
    for (int i = 0; i < longs.length; i++) {
      longs[i] = rnd.nextLong();
    }
    byte[][] strings = {new byte[0], "a".getBytes(), new byte[200], "\u00e9t\u00e9".getBytes()};
    byte[] int32 = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN)
        .putInt(-5).putInt(Integer.MAX_VALUE).putInt(0).array();
    Path prefix = dir.resolve("sub/dir/ckpt-3");
    try (TensorBundleWriter w = TensorBundleWriter.create(prefix, 64)) {
      w.addFloats("z/big", new long[] {700_001}, big);
      w.addLongs("a/longs", new long[] {1000, 300}, longs);
      w.addStrings("s", new long[] {2, 2}, strings);
      w.addStrings("no strings", new long[] {0}, new byte[0][]);
      w.addBytes("ints", TfDataType.INT32, new long[] {3}, int32);
      w.add(new NamedTensor("named", new int[] {1, 2}, new float[] {1f, Float.NaN}));
      w.addFloats("\u00fcnicode/\u4e2d", new long[0], new float[] {-0.0f});
      w.finish();
    }
    try (TensorBundleReader r = TensorBundleReader.open(prefix)) {
      assertEquals(List.of("a/longs", "ints", "named", "no strings", "s", "z/big",
          "\u00fcnicode/\u4e2d"), r.entries().stream().map(BundleEntry::name).toList(),
          "sorted by UTF-8 bytes");
      assertArrayEquals(big, r.readFloats("z/big"));
      assertArrayEquals(longs, r.readLongs("a/longs"));
      assertArrayEquals(strings, r.readStrings("s"));
      assertEquals(0, r.readStrings("no strings").length);
      assertArrayEquals(new long[] {-5, Integer.MAX_VALUE, 0}, r.readLongs("ints"));
      assertArrayEquals(int32, r.readBytes("ints"));
      assertEquals(new NamedTensor("named", new int[] {1, 2}, new float[] {1f, Float.NaN}),
          r.readFloatTensor("named"));
      assertEquals(Float.floatToRawIntBits(-0.0f),
          Float.floatToRawIntBits(r.readFloats("\u00fcnicode/\u4e2d")[0]));
      assertArrayEquals(new long[] {2, 2}, r.entry("s").shape());
    }
  }

  @Test
  void halfBfloat16AndDoubleAreWidenedOrRoundedToFloat(@TempDir Path dir) throws Exception {
    short[] halves = {0x3c00, (short) 0xc000, 0x7bff, 0x0001, 0x0400, 0x7c00, (short) 0xfc00,
        0x0000, (short) 0x8000};
    float[] halfValues = {1f, -2f, 65504f, 0x1p-24f, 0x1p-14f, Float.POSITIVE_INFINITY,
        Float.NEGATIVE_INFINITY, 0f, -0f};
    ByteBuffer h = ByteBuffer.allocate(2 * halves.length).order(ByteOrder.LITTLE_ENDIAN);
    for (short s : halves) {
      h.putShort(s);
    }
    ByteBuffer b = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN)
        .putShort((short) 0x3fc0).putShort((short) 0xc049); // 1.5, -3.140625
    ByteBuffer d = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN)
        .putDouble(0.1).putDouble(-1e300);
    Path prefix = dir.resolve("ckpt");
    try (TensorBundleWriter w = TensorBundleWriter.create(prefix)) {
      w.addBytes("half", TfDataType.HALF, new long[] {halves.length}, h.array());
      w.addBytes("bf16", TfDataType.BFLOAT16, new long[] {2}, b.array());
      w.addBytes("f64", TfDataType.DOUBLE, new long[] {2}, d.array());
      w.finish();
    }
    try (TensorBundleReader r = TensorBundleReader.open(prefix)) {
      assertArrayEquals(halfValues, r.readFloats("half"));
      assertTrue(Float.isNaN(TensorBundleReader.halfToFloat((short) 0x7e00)));
      assertArrayEquals(new float[] {1.5f, -3.140625f}, r.readFloats("bf16"));
      assertArrayEquals(new float[] {0.1f, Float.NEGATIVE_INFINITY}, r.readFloats("f64"));
    }
  }

  @Test
  void closingWithoutFinishLeavesNoFilesAndFinishReplacesAnOlderBundle(@TempDir Path dir)
      throws Exception {
    Path prefix = dir.resolve("ckpt-1");
    try (TensorBundleWriter w = TensorBundleWriter.create(prefix)) {
      w.addFloats("x", new long[] {1}, new float[] {1});
    }
    try (var files = Files.list(dir)) {
      assertEquals(0, files.count(), "nothing, not even a temporary file");
    }
    for (float v : new float[] {1, 2}) {
      try (TensorBundleWriter w = TensorBundleWriter.create(prefix)) {
        w.addFloats("x", new long[] {1}, new float[] {v});
        w.finish();
      }
    }
    try (TensorBundleReader r = TensorBundleReader.open(prefix)) {
      assertArrayEquals(new float[] {2}, r.readFloats("x"));
    }
    try (var files = Files.list(dir)) {
      assertEquals(2, files.count());
    }
  }

  @Test
  void misuseThrowsTheJdkExceptionsNamingTheTensor(@TempDir Path dir) throws Exception {
    try (TensorBundleWriter w = TensorBundleWriter.create(dir.resolve("ckpt"))) {
      w.addFloats("x", new long[] {2}, new float[] {1, 2});
      IllegalArgumentException dup = assertThrows(IllegalArgumentException.class,
          () -> w.addLongs("x", new long[0], new long[] {1}));
      assertEquals("duplicate tensor name 'x'", dup.getMessage());
      IllegalArgumentException shape = assertThrows(IllegalArgumentException.class,
          () -> w.addFloats("y", new long[] {2, 3}, new float[5]));
      assertEquals("tensor 'y' of shape [2, 3] needs 6 values, found 5", shape.getMessage());
      assertThrows(IllegalArgumentException.class, () -> w.addFloats("", new long[0],
          new float[1]));
      assertThrows(IllegalArgumentException.class,
          () -> w.addBytes("s", TfDataType.STRING, new long[0], new byte[1]));
      w.finish();
      assertThrows(IllegalStateException.class,
          () -> w.addFloats("z", new long[0], new float[1]));
    }
    TensorBundleReader r = TensorBundleReader.open(dir.resolve("ckpt"));
    r.close();
    assertThrows(IllegalStateException.class, () -> r.readFloats("x"));
    CheckpointException wrongType;
    try (TensorBundleReader open = TensorBundleReader.open(dir.resolve("ckpt"))) {
      wrongType = assertThrows(CheckpointException.class, () -> open.readLongs("x"));
      assertFalse(open.find("nope").isPresent());
    }
    assertEquals(dir.resolve("ckpt.index") + ": tensor 'x' is DT_FLOAT [2], not an integer"
        + " tensor (DT_INT64, DT_INT32, DT_INT16, DT_INT8, DT_UINT8, DT_UINT16, DT_UINT32)",
        wrongType.getMessage());
  }
}
