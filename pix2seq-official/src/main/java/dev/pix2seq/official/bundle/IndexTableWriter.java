package dev.pix2seq.official.bundle;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Builds the table of a bundle's {@code .index} file in memory the way TensorFlow's
 * {@code TableBuilder} does with the options its {@code BundleWriter} uses: uncompressed blocks
 * of about {@code blockSize} bytes (TensorFlow's default 256 KiB), a restart point every 16 keys
 * in data blocks and at every key in the index block, index keys shortened to a separator
 * between neighbouring blocks. For the same keys and values the bytes equal TensorFlow's.
 * Keys must be added in strictly increasing unsigned byte order.
 */
final class IndexTableWriter {

  /** TensorFlow's {@code table::Options::block_size}. */
  static final int DEFAULT_BLOCK_SIZE = 262144;
  private static final int RESTART_INTERVAL = 16;

  private final int blockSize;
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final BlockBuilder dataBlock = new BlockBuilder(RESTART_INTERVAL);
  private final BlockBuilder indexBlock = new BlockBuilder(1);
  private byte[] lastKey = new byte[0];
  private long entries;
  private long[] pendingHandle;

  IndexTableWriter(int blockSize) {
    if (blockSize < 1) {
      throw new IllegalArgumentException("block size must be >= 1, found " + blockSize);
    }
    this.blockSize = blockSize;
  }

  void add(byte[] key, byte[] value) {
    if (entries > 0) {
      if (Arrays.compareUnsigned(key, lastKey) <= 0) {
        throw new IllegalArgumentException("keys must increase: '" + IndexTable.printable(key)
            + "' after '" + IndexTable.printable(lastKey) + "'");
      }
      if ((long) key.length + value.length >= 2L * blockSize) {
        flush();
      }
    }
    if (pendingHandle != null) {
      indexBlock.add(shortestSeparator(lastKey, key), encodeHandle(pendingHandle));
      pendingHandle = null;
    }
    lastKey = key.clone();
    entries++;
    dataBlock.add(key, value);
    if (dataBlock.sizeEstimate() >= blockSize) {
      flush();
    }
  }

  /** Writes the last data block, the metaindex and index blocks and the footer. */
  byte[] finish() {
    flush();
    long[] metaindex = writeBlock(new BlockBuilder(RESTART_INTERVAL));
    if (pendingHandle != null) {
      indexBlock.add(shortSuccessor(lastKey), encodeHandle(pendingHandle));
      pendingHandle = null;
    }
    long[] index = writeBlock(indexBlock);
    byte[] footer = new byte[IndexTable.FOOTER_LENGTH];
    byte[] handles = concat(encodeHandle(metaindex), encodeHandle(index));
    System.arraycopy(handles, 0, footer, 0, handles.length);
    putFixed32(footer, IndexTable.FOOTER_LENGTH - 8, (int) IndexTable.MAGIC);
    putFixed32(footer, IndexTable.FOOTER_LENGTH - 4, (int) (IndexTable.MAGIC >>> 32));
    out.writeBytes(footer);
    return out.toByteArray();
  }

  private void flush() {
    if (!dataBlock.isEmpty()) {
      pendingHandle = writeBlock(dataBlock);
    }
  }

  private long[] writeBlock(BlockBuilder block) {
    byte[] raw = block.finish();
    long[] handle = {out.size(), raw.length};
    byte[] withType = Arrays.copyOf(raw, raw.length + 1);
    withType[raw.length] = IndexTable.NO_COMPRESSION;
    byte[] trailer = new byte[IndexTable.BLOCK_TRAILER_LENGTH];
    trailer[0] = IndexTable.NO_COMPRESSION;
    putFixed32(trailer, 1, Crc32c.mask(Crc32c.value(withType, 0, withType.length)));
    out.writeBytes(raw);
    out.writeBytes(trailer);
    block.reset();
    return handle;
  }

  /**
   * A short key {@code >= start} and {@code < limit}: {@code start} cut after its first byte that
   * differs from {@code limit}, that byte raised by one, if that stays below {@code limit}.
   */
  static byte[] shortestSeparator(byte[] start, byte[] limit) {
    int min = Math.min(start.length, limit.length);
    int diff = 0;
    while (diff < min && start[diff] == limit[diff]) {
      diff++;
    }
    if (diff < min) {
      int b = start[diff] & 0xff;
      if (b < 0xff && b + 1 < (limit[diff] & 0xff)) {
        byte[] sep = Arrays.copyOf(start, diff + 1);
        sep[diff] = (byte) (b + 1);
        return sep;
      }
    }
    return start.clone();
  }

  /** A short key {@code >= key}: cut after its first byte below 0xff, raised by one. */
  static byte[] shortSuccessor(byte[] key) {
    for (int i = 0; i < key.length; i++) {
      if ((key[i] & 0xff) != 0xff) {
        byte[] succ = Arrays.copyOf(key, i + 1);
        succ[i] = (byte) (succ[i] + 1);
        return succ;
      }
    }
    return key.clone();
  }

  private static byte[] encodeHandle(long[] handle) {
    ByteArrayOutputStream b = new ByteArrayOutputStream(20);
    putVarint(b, handle[0]);
    putVarint(b, handle[1]);
    return b.toByteArray();
  }

  static void putVarint(ByteArrayOutputStream b, long v) {
    while ((v & ~0x7fL) != 0) {
      b.write((int) ((v & 0x7f) | 0x80));
      v >>>= 7;
    }
    b.write((int) v);
  }

  static void putFixed32(byte[] b, int at, int v) {
    for (int i = 0; i < 4; i++) {
      b[at + i] = (byte) (v >>> (8 * i));
    }
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] c = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, c, a.length, b.length);
    return c;
  }

  /** Prefix-compressed entries plus the restart array, as in TensorFlow's BlockBuilder. */
  private static final class BlockBuilder {
    private final int restartInterval;
    private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    private final List<Integer> restarts = new ArrayList<>();
    private byte[] lastKey = new byte[0];
    private int counter;

    BlockBuilder(int restartInterval) {
      this.restartInterval = restartInterval;
      reset();
    }

    void reset() {
      buffer.reset();
      restarts.clear();
      restarts.add(0);
      counter = 0;
      lastKey = new byte[0];
    }

    boolean isEmpty() {
      return buffer.size() == 0;
    }

    int sizeEstimate() {
      return buffer.size() + 4 * restarts.size() + 4;
    }

    void add(byte[] key, byte[] value) {
      int shared = 0;
      if (counter < restartInterval) {
        int min = Math.min(lastKey.length, key.length);
        while (shared < min && lastKey[shared] == key[shared]) {
          shared++;
        }
      } else {
        restarts.add(buffer.size());
        counter = 0;
      }
      putVarint(buffer, shared);
      putVarint(buffer, key.length - shared);
      putVarint(buffer, value.length);
      buffer.write(key, shared, key.length - shared);
      buffer.writeBytes(value);
      lastKey = key.clone();
      counter++;
    }

    byte[] finish() {
      byte[] four = new byte[4];
      for (int r : restarts) {
        putFixed32(four, 0, r);
        buffer.writeBytes(four);
      }
      putFixed32(four, 0, restarts.size());
      buffer.writeBytes(four);
      return buffer.toByteArray();
    }
  }
}
