package dev.pix2seq.official.bundle;

import dev.pix2seq.api.CheckpointException;
import dev.pix2seq.api.checkpoint.ProtobufReader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Reads the LevelDB-style table of a bundle's {@code .index} file (TensorFlow's
 * {@code tensorflow/core/lib/io/table.cc}, {@code block.cc}, {@code format.cc}) from its bytes.
 *
 * <p>Layout: data blocks, a metaindex block, an index block, then a 48-byte footer: the
 * metaindex and index {@code BlockHandle}s (varint offset, varint size) padded to 40 bytes and
 * the magic {@code 0xdb4775248b80fb57} as two little-endian 32-bit halves. Every block is
 * followed by a 5-byte trailer: its compression type (0 none, 1 snappy) and the masked CRC32C of
 * the block and the type byte. A block holds prefix-compressed entries ({@code varint shared,
 * varint unshared, varint value length, key delta, value}) and ends with the restart offsets
 * (fixed32 each) and their count. The index block maps a key at or past each data block's last
 * key to that block's handle.
 */
final class IndexTable {

  /** Footer length: two block handles of at most 20 bytes, padding, then the 8-byte magic. */
  static final int FOOTER_LENGTH = 48;
  static final long MAGIC = 0xdb4775248b80fb57L;
  static final int BLOCK_TRAILER_LENGTH = 5;
  static final int NO_COMPRESSION = 0;
  static final int SNAPPY_COMPRESSION = 1;

  /** One key/value pair of the table, in file order. */
  record Entry(byte[] key, byte[] value) {}

  private final Path file;
  private final byte[] data;

  private IndexTable(Path file, byte[] data) {
    this.file = file;
    this.data = data;
  }

  /**
   * Every entry of the table in {@code data} (the whole file), in key order, after checking the
   * footer, each block's checksum and that keys strictly increase.
   *
   * @throws CheckpointException naming {@code file} if any of that does not hold
   */
  static List<Entry> readAll(Path file, byte[] data) throws CheckpointException {
    return new IndexTable(file, data).entries();
  }

  /** The {offset, size} of every data block, in order, after checking the footer. */
  static List<long[]> dataBlocks(Path file, byte[] data) throws CheckpointException {
    return new IndexTable(file, data).dataBlockHandles();
  }

  private List<Entry> entries() throws CheckpointException {
    List<Entry> out = new ArrayList<>();
    byte[] previous = null;
    for (long[] h : dataBlockHandles()) {
      int[] dataBlock = block(h, data.length - FOOTER_LENGTH, "data block");
      for (Entry e : blockEntries(dataBlock, "data block at offset " + h[0])) {
        if (previous != null && Arrays.compareUnsigned(previous, e.key()) >= 0) {
          throw corrupt("has keys out of order ('" + printable(previous) + "' before '"
              + printable(e.key()) + "'): the file is corrupt");
        }
        previous = e.key();
        out.add(e);
      }
    }
    return out;
  }

  private List<long[]> dataBlockHandles() throws CheckpointException {
    if (data.length < FOOTER_LENGTH) {
      throw corrupt("is " + data.length + " bytes, too short for a TensorFlow checkpoint index"
          + " (the footer alone is " + FOOTER_LENGTH + " bytes)");
    }
    int footer = data.length - FOOTER_LENGTH;
    long magic = (readFixed32(data, data.length - 8) & 0xffff_ffffL)
        | (long) readFixed32(data, data.length - 4) << 32;
    if (magic != MAGIC) {
      throw corrupt("does not end with the table magic number 0x" + Long.toHexString(MAGIC)
          + " (found 0x" + Long.toHexString(magic) + "): not a TensorFlow checkpoint index,"
          + " or truncated");
    }
    long[] metaindex;
    long[] index;
    try {
      ProtobufReader footerReader = new ProtobufReader(data, footer, FOOTER_LENGTH - 8);
      metaindex = new long[] {footerReader.readVarint(), footerReader.readVarint()};
      index = new long[] {footerReader.readVarint(), footerReader.readVarint()};
    } catch (ProtobufReader.FormatException e) {
      throw notProtobuf(file + " footer", e);
    }
    block(metaindex, footer, "metaindex block");
    int[] indexBlock = block(index, footer, "index block");

    List<long[]> handles = new ArrayList<>();
    for (Entry handle : blockEntries(indexBlock, "index block")) {
      try {
        ProtobufReader r = new ProtobufReader(handle.value());
        handles.add(new long[] {r.readVarint(), r.readVarint()});
      } catch (ProtobufReader.FormatException e) {
        throw notProtobuf(file + " index block handle", e);
      }
    }
    return handles;
  }

  /** Checks a block's trailer; returns {offset, length} of its contents. */
  private int[] block(long[] handle, int end, String what) throws CheckpointException {
    long offset = handle[0];
    long size = handle[1];
    if (offset < 0 || size < 0 || offset + size + BLOCK_TRAILER_LENGTH > end) {
      throw corrupt("has a " + what + " handle [offset " + offset + ", " + size + " bytes] that"
          + " runs past the end of its blocks (" + end + " bytes): the file is truncated or"
          + " corrupt");
    }
    int off = (int) offset;
    int n = (int) size;
    int stored = Crc32c.unmask(readFixed32(data, off + n + 1));
    int actual = Crc32c.value(data, off, n + 1);
    if (stored != actual) {
      throw corrupt("fails the checksum of its " + what + " at offset " + off + " (" + n
          + " bytes): stored " + Crc32c.hex(stored) + ", computed " + Crc32c.hex(actual)
          + "; the file is corrupt");
    }
    int type = data[off + n] & 0xff;
    if (type == SNAPPY_COMPRESSION) {
      throw corrupt("has a snappy-compressed " + what + ", which is not supported (TensorFlow"
          + " writes bundle indexes uncompressed)");
    }
    if (type != NO_COMPRESSION) {
      throw corrupt("has a " + what + " of unknown compression type " + type
          + "; the file is corrupt");
    }
    return new int[] {off, n};
  }

  /** The key/value pairs of one block, undoing the prefix compression. */
  private List<Entry> blockEntries(int[] block, String what) throws CheckpointException {
    int start = block[0];
    int size = block[1];
    if (size < 4) {
      throw corrupt("has a " + what + " of " + size + " bytes, too short for its restart count");
    }
    long restarts = readFixed32(data, start + size - 4) & 0xffff_ffffL;
    if (restarts > (size - 4) / 4) {
      throw corrupt("has a " + what + " claiming " + restarts + " restart points in " + size
          + " bytes; the file is corrupt");
    }
    int limit = start + size - 4 * (1 + (int) restarts);
    List<Entry> out = new ArrayList<>();
    Set<Integer> restartPoints = new HashSet<>();
    byte[] key = new byte[0];
    int pos = start;
    while (pos < limit) {
      int entryOffset = pos - start;
      long shared;
      long unshared;
      long valueLength;
      try {
        ProtobufReader r = new ProtobufReader(data, pos, limit - pos);
        shared = r.readVarint();
        unshared = r.readVarint();
        valueLength = r.readVarint();
      } catch (ProtobufReader.FormatException e) {
        throw notProtobuf(file + " " + what, e);
      }
      int header = varintLength(shared) + varintLength(unshared) + varintLength(valueLength);
      pos += header;
      if (shared > key.length || unshared < 0 || valueLength < 0
          || unshared + valueLength > limit - pos) {
        throw corrupt("has a bad entry at byte " + entryOffset + " of its " + what
            + "; the file is corrupt");
      }
      if (shared == 0) {
        restartPoints.add(entryOffset);
      }
      byte[] next = Arrays.copyOf(key, (int) (shared + unshared));
      System.arraycopy(data, pos, next, (int) shared, (int) unshared);
      pos += (int) unshared;
      byte[] value = Arrays.copyOfRange(data, pos, pos + (int) valueLength);
      pos += (int) valueLength;
      key = next;
      out.add(new Entry(key, value));
    }
    for (int i = 0; i < restarts; i++) {
      int point = readFixed32(data, limit + 4 * i);
      if (!out.isEmpty() && !restartPoints.contains(point)) {
        throw corrupt("has a " + what + " whose restart point " + point
            + " is not the start of an uncompressed key; the file is corrupt");
      }
    }
    return out;
  }

  /** {@code where} (a file, and the part of it) is not valid protobuf, for the reason in e. */
  static CheckpointException notProtobuf(String where, ProtobufReader.FormatException e) {
    return new CheckpointException(where + " is not valid protobuf: " + e.getMessage(), e);
  }

  private CheckpointException corrupt(String what) {
    return new CheckpointException(file + " " + what);
  }

  static int readFixed32(byte[] b, int at) {
    return (b[at] & 0xff) | (b[at + 1] & 0xff) << 8 | (b[at + 2] & 0xff) << 16
        | (b[at + 3] & 0xff) << 24;
  }

  private static int varintLength(long v) {
    int n = 1;
    while ((v & ~0x7fL) != 0) {
      v >>>= 7;
      n++;
    }
    return n;
  }

  /** A key for a message: ASCII as is, other bytes escaped. */
  static String printable(byte[] key) {
    StringBuilder sb = new StringBuilder();
    for (byte b : key) {
      int c = b & 0xff;
      if (c >= 0x20 && c < 0x7f) {
        sb.append((char) c);
      } else {
        sb.append(String.format("\\x%02x", c));
      }
    }
    return sb.toString();
  }
}
