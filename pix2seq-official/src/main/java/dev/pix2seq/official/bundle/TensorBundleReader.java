package dev.pix2seq.official.bundle;

import dev.pix2seq.api.CheckpointException;
import dev.pix2seq.api.checkpoint.NamedTensor;
import dev.pix2seq.api.checkpoint.ProtobufReader;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.CRC32C;

/**
 * Reads a TensorFlow checkpoint in the tensor bundle format ({@code prefix.index} plus
 * {@code prefix.data-SSSSS-of-NNNNN}) without TensorFlow, as written by {@code tf.train.Checkpoint}
 * and {@code tf.raw_ops.SaveV2}.
 *
 * <pre>{@code
 * try (TensorBundleReader bundle = TensorBundleReader.open(Path.of("ckpt/ckpt-5"))) {
 *   for (BundleEntry e : bundle.entries()) {
 *     if (e.dtype() == TfDataType.FLOAT) {
 *       float[] values = bundle.readFloats(e.name());
 *     }
 *   }
 * }
 * }</pre>
 *
 * <p>{@link #open} reads the whole index (checking every block checksum), validates every entry
 * against its dtype and shape and against the data files' lengths, and opens each data file it
 * needs. Tensor bytes are read only on request, with positional reads per tensor, and their
 * CRC32C is checked then. Only little-endian bundles are read, and partitioned (sliced) variables
 * are listed but not read.
 *
 * <p>Thread safety: after {@link #open} the reader is immutable; reads from several threads at
 * once are safe. The caller owns the reader and closes it once; a closed reader throws
 * {@link IllegalStateException}.
 */
public final class TensorBundleReader implements AutoCloseable {

  /** Bytes read per positional read and checksum update. */
  private static final int CHUNK = 1 << 20;
  private static final int MAX_ARRAY = Integer.MAX_VALUE - 8;
  private static final int SUPPORTED_VERSION = 1;
  private static final int SUGGESTIONS = 5;
  private static final String VALUE_SUFFIX = "/.ATTRIBUTES/VARIABLE_VALUE";

  private final Path prefix;
  private final Path indexFile;
  private final int numShards;
  private final Map<String, BundleEntry> entries;
  private final List<BundleEntry> entryList;
  private final Map<Integer, FileChannel> shards;
  private volatile boolean closed;

  private TensorBundleReader(Path prefix, Path indexFile, int numShards,
      Map<String, BundleEntry> entries, Map<Integer, FileChannel> shards) {
    this.prefix = prefix;
    this.indexFile = indexFile;
    this.numShards = numShards;
    this.entries = Collections.unmodifiableMap(entries);
    this.entryList = List.copyOf(entries.values());
    this.shards = Collections.unmodifiableMap(shards);
  }

  /**
   * Opens the bundle with the given prefix, e.g. {@code .../ckpt-5}; a path ending in
   * {@code .index} (or naming a data shard) stands for its prefix.
   *
   * @throws CheckpointException with one line naming the file and the problem: the index is
   *     missing (for a directory: the prefixes found in it), not a table, corrupt (a block
   *     checksum), has an entry whose size does not fit its dtype and shape, a data shard is
   *     missing or shorter than its entries need
   */
  public static TensorBundleReader open(Path prefix) throws CheckpointException {
    Path p = BundlePaths.prefixOf(prefix.toAbsolutePath().normalize());
    if (Files.isDirectory(p)) {
      throw new CheckpointException(p + " is a directory, not a checkpoint prefix; "
          + describePrefixes(p, "pass one of the prefixes in it: "));
    }
    Path index = BundlePaths.indexFile(p);
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(index);
    } catch (NoSuchFileException e) {
      Path dir = p.getParent();
      String found = dir != null && Files.isDirectory(dir)
          ? "; " + describePrefixes(dir, "prefixes in " + dir + ": ")
          : "; the folder " + dir + " does not exist";
      throw new CheckpointException("no TensorFlow checkpoint index at " + index
          + " (expected <prefix>.index next to <prefix>.data-00000-of-0000N)" + found);
    } catch (IOException e) {
      throw new CheckpointException("cannot read checkpoint index " + index + ": " + e, e);
    }
    List<IndexTable.Entry> table = IndexTable.readAll(index, bytes);
    if (table.isEmpty() || table.get(0).key().length != 0) {
      throw new CheckpointException(index + " has no bundle header (the entry with the empty"
          + " key): not a TensorFlow tensor bundle index");
    }
    int numShards = parseHeader(index, table.get(0).value());
    Map<String, BundleEntry> entries = new LinkedHashMap<>();
    for (IndexTable.Entry e : table.subList(1, table.size())) {
      if (e.key()[0] == 0) {
        continue; // one slice of a partitioned variable, keyed by TensorFlow's ordered code
      }
      String name = new String(e.key(), StandardCharsets.UTF_8);
      BundleEntry entry = parseEntry(index, name, e.value());
      if (entries.put(name, entry) != null) {
        throw new CheckpointException(index + " has two keys that read as '" + name + "'");
      }
      validate(index, entry, numShards);
    }
    Map<Integer, FileChannel> shards = new TreeMap<>();
    try {
      openShards(p, numShards, entries, shards);
    } catch (CheckpointException | RuntimeException e) {
      closeAll(shards.values());
      throw e;
    }
    return new TensorBundleReader(p, index, numShards, entries, shards);
  }

  /** The prefix this bundle was opened with, absolute. */
  public Path prefix() {
    return prefix;
  }

  /** The number of data files the header declares. */
  public int numShards() {
    return numShards;
  }

  /**
   * Every tensor of the bundle, sorted by name (TensorFlow's unsigned byte order), without the
   * header and without the per-slice entries of partitioned variables.
   */
  public List<BundleEntry> entries() {
    return entryList;
  }

  /** The entry called {@code name}, if there is one. */
  public Optional<BundleEntry> find(String name) {
    return Optional.ofNullable(entries.get(name));
  }

  /**
   * The entry called {@code name}.
   *
   * @throws CheckpointException if there is none, listing a few similar names
   */
  public BundleEntry entry(String name) throws CheckpointException {
    BundleEntry e = entries.get(name);
    if (e == null) {
      List<String> similar = similarNames(name);
      throw new CheckpointException(indexFile + " has no tensor '" + name + "' among its "
          + entries.size() + " entries" + (similar.isEmpty() ? ""
              : "; similar names: " + String.join(", ", similar)));
    }
    return e;
  }

  /**
   * The values of a floating-point tensor, row-major: {@code DT_FLOAT} as stored;
   * {@code DT_HALF}, {@code DT_BFLOAT16} and {@code DT_DOUBLE} converted to float (doubles
   * rounded to nearest).
   *
   * @throws CheckpointException if the name is unknown, the tensor has another dtype or is
   *     partitioned, the data cannot be read or its checksum does not match
   */
  public float[] readFloats(String name) throws CheckpointException {
    BundleEntry e = readable(name);
    TfDataType t = e.dtype();
    if (t != TfDataType.FLOAT && t != TfDataType.HALF && t != TfDataType.BFLOAT16
        && t != TfDataType.DOUBLE) {
      throw wrongType(e, "a floating-point tensor (DT_FLOAT, DT_HALF, DT_BFLOAT16, DT_DOUBLE)");
    }
    float[] out = new float[elements(e)];
    int[] at = {0};
    readChunks(e, chunk -> {
      switch (t) {
        case FLOAT -> {
          int n = chunk.remaining() / 4;
          chunk.asFloatBuffer().get(out, at[0], n);
          at[0] += n;
        }
        case DOUBLE -> {
          while (chunk.hasRemaining()) {
            out[at[0]++] = (float) chunk.getDouble();
          }
        }
        case HALF -> {
          while (chunk.hasRemaining()) {
            out[at[0]++] = halfToFloat(chunk.getShort());
          }
        }
        default -> {
          while (chunk.hasRemaining()) {
            out[at[0]++] = Float.intBitsToFloat((chunk.getShort() & 0xffff) << 16);
          }
        }
      }
    });
    return out;
  }

  /**
   * A floating-point tensor as a {@link NamedTensor} with this bundle's name and shape.
   *
   * @throws CheckpointException as {@link #readFloats}, or if a dimension exceeds an int
   */
  public NamedTensor readFloatTensor(String name) throws CheckpointException {
    BundleEntry e = readable(name);
    int[] shape;
    try {
      shape = e.intShape();
    } catch (ArithmeticException ex) {
      throw new CheckpointException(indexFile + ": tensor '" + name + "' of shape "
          + Arrays.toString(e.shape()) + " has a dimension too large for an int");
    }
    return new NamedTensor(name, shape, readFloats(name));
  }

  /**
   * The values of an integer tensor, row-major: {@code DT_INT64} as stored; {@code DT_INT32},
   * {@code DT_INT16}, {@code DT_INT8}, {@code DT_UINT8}, {@code DT_UINT16} and {@code DT_UINT32}
   * widened.
   *
   * @throws CheckpointException if the name is unknown, the tensor has another dtype or is
   *     partitioned, the data cannot be read or its checksum does not match
   */
  public long[] readLongs(String name) throws CheckpointException {
    BundleEntry e = readable(name);
    TfDataType t = e.dtype();
    switch (t) {
      case INT64, INT32, INT16, INT8, UINT8, UINT16, UINT32 -> { }
      default -> throw wrongType(e, "an integer tensor (DT_INT64, DT_INT32, DT_INT16, DT_INT8,"
          + " DT_UINT8, DT_UINT16, DT_UINT32)");
    }
    long[] out = new long[elements(e)];
    int[] at = {0};
    readChunks(e, chunk -> {
      while (chunk.hasRemaining()) {
        out[at[0]++] = switch (t) {
          case INT64 -> chunk.getLong();
          case INT32 -> chunk.getInt();
          case INT16 -> chunk.getShort();
          case INT8 -> chunk.get();
          case UINT8 -> chunk.get() & 0xffL;
          case UINT16 -> chunk.getShort() & 0xffffL;
          default -> chunk.getInt() & 0xffff_ffffL;
        };
      }
    });
    return out;
  }

  /**
   * The raw little-endian bytes of a fixed-width tensor of any dtype, checksum checked.
   *
   * @throws CheckpointException if the name is unknown, the dtype is not fixed-width, the tensor
   *     is partitioned or larger than 2 GiB, the data cannot be read or its checksum is wrong
   */
  public byte[] readBytes(String name) throws CheckpointException {
    BundleEntry e = readable(name);
    if (!e.dtype().isFixedWidth()) {
      throw wrongType(e, "a fixed-width tensor");
    }
    if (e.size() > MAX_ARRAY) {
      throw tooLarge(e);
    }
    byte[] out = new byte[(int) e.size()];
    int[] at = {0};
    readChunks(e, chunk -> {
      int n = chunk.remaining();
      chunk.get(out, at[0], n);
      at[0] += n;
    });
    return out;
  }

  /**
   * The elements of a {@code DT_STRING} tensor, row-major, e.g. the serialized
   * {@code TrackableObjectGraph} under {@code _CHECKPOINTABLE_OBJECT_GRAPH}. Both the checksum of
   * the lengths and that of the whole entry are checked.
   *
   * @throws CheckpointException if the name is unknown, the tensor is not {@code DT_STRING}, its
   *     layout is broken or a checksum does not match
   */
  public byte[][] readStrings(String name) throws CheckpointException {
    BundleEntry e = readable(name);
    if (e.dtype() != TfDataType.STRING) {
      throw wrongType(e, "a DT_STRING tensor");
    }
    if (e.size() > MAX_ARRAY) {
      throw tooLarge(e);
    }
    int count = elements(e);
    byte[] raw = new byte[(int) e.size()];
    readFully(e, ByteBuffer.wrap(raw));
    Path file = shardFile(e.shard());
    // Layout (tensor_bundle.cc WriteStringTensor): varint64 length per element, the masked
    // CRC32C of the lengths (each as uint32, or uint64 above 2^32-1), then the bytes. The
    // entry's checksum covers the lengths (as checksummed), the length checksum and the bytes.
    ProtobufReader r = new ProtobufReader(raw);
    long[] lengths = new long[count];
    CRC32C crc = new CRC32C();
    ByteBuffer le = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
    long total = 0;
    for (int i = 0; i < count; i++) {
      try {
        lengths[i] = r.readVarint();
      } catch (ProtobufReader.FormatException ex) {
        throw IndexTable.notProtobuf(file + " tensor '" + name + "'", ex);
      }
      if (lengths[i] < 0 || lengths[i] > raw.length) {
        throw new CheckpointException(file + ": string tensor '" + name + "' has an element of "
            + Long.toUnsignedString(lengths[i]) + " bytes in an entry of " + raw.length
            + " bytes; the file is corrupt");
      }
      le.clear();
      if (lengths[i] >= 0 && lengths[i] <= 0xffff_ffffL) {
        le.putInt((int) lengths[i]);
      } else {
        le.putLong(lengths[i]);
      }
      crc.update(le.array(), 0, le.position());
      total += lengths[i];
    }
    int pos = r.position();
    if (pos + 4L + total > raw.length) {
      throw new CheckpointException(file + ": string tensor '" + name + "' declares " + total
          + " bytes of strings in an entry of " + raw.length + " bytes; the file is corrupt");
    }
    int storedLengths = Crc32c.unmask(IndexTable.readFixed32(raw, pos));
    if (storedLengths != (int) crc.getValue()) {
      throw new CheckpointException(file + ": string tensor '" + name + "' fails its length"
          + " checksum: stored " + Crc32c.hex(storedLengths) + ", computed "
          + Crc32c.hex((int) crc.getValue()) + "; the file is corrupt");
    }
    crc.update(raw, pos, 4 + (int) total);
    checkCrc(e, (int) crc.getValue());
    byte[][] out = new byte[count][];
    pos += 4;
    for (int i = 0; i < count; i++) {
      out[i] = Arrays.copyOfRange(raw, pos, pos + (int) lengths[i]);
      pos += (int) lengths[i];
    }
    return out;
  }

  /** Closes the data files. Idempotent. */
  @Override
  public void close() {
    closed = true;
    closeAll(shards.values());
  }

  @Override
  public String toString() {
    return "TensorBundleReader[" + prefix + ", " + entries.size() + " entries, " + numShards
        + " shard(s)]";
  }

  // ---- opening

  private static int parseHeader(Path index, byte[] value) throws CheckpointException {
    long numShards = 0;
    long endianness = 0;
    long minConsumer = 0;
    List<Long> badConsumers = new ArrayList<>();
    try {
      ProtobufReader r = new ProtobufReader(value);
      while (r.hasNext()) {
        switch (r.readTag()) {
          case 1 << 3 -> numShards = r.readVarint();
          case 2 << 3 -> endianness = r.readVarint();
          case 3 << 3 | ProtobufReader.LENGTH_DELIMITED -> {
            ProtobufReader v = r.readMessage();
            while (v.hasNext()) {
              switch (v.readTag()) {
                case 2 << 3 -> minConsumer = v.readVarint();
                case 3 << 3 -> badConsumers.add(v.readVarint());
                case 3 << 3 | ProtobufReader.LENGTH_DELIMITED -> {
                  ProtobufReader packed = v.readMessage();
                  while (packed.hasNext()) {
                    badConsumers.add(packed.readVarint());
                  }
                }
                default -> v.skip();
              }
            }
          }
          default -> r.skip();
        }
      }
    } catch (ProtobufReader.FormatException e) {
      throw IndexTable.notProtobuf(index + " header", e);
    }
    if (numShards < 1 || numShards > 99_999) {
      throw new CheckpointException(index + " header declares " + numShards
          + " data shards; expected 1 to 99999");
    }
    if (endianness != 0) {
      throw new CheckpointException(index + " was written on a big-endian machine; only"
          + " little-endian bundles are supported");
    }
    if (minConsumer > SUPPORTED_VERSION || badConsumers.contains((long) SUPPORTED_VERSION)) {
      throw new CheckpointException(index + " needs a newer bundle reader (min_consumer "
          + minConsumer + ", bad_consumers " + badConsumers + "; this reader is version "
          + SUPPORTED_VERSION + ")");
    }
    return (int) numShards;
  }

  private static BundleEntry parseEntry(Path index, String name, byte[] value)
      throws CheckpointException {
    long dtype = 0;
    long shard = 0;
    long offset = 0;
    long size = 0;
    int crc = 0;
    int slices = 0;
    List<Long> dims = new ArrayList<>();
    try {
      ProtobufReader r = new ProtobufReader(value);
      while (r.hasNext()) {
        switch (r.readTag()) {
          case 1 << 3 -> dtype = r.readVarint();
          case 2 << 3 | ProtobufReader.LENGTH_DELIMITED -> {
            ProtobufReader s = r.readMessage();
            while (s.hasNext()) {
              switch (s.readTag()) {
                case 2 << 3 | ProtobufReader.LENGTH_DELIMITED -> {
                  ProtobufReader d = s.readMessage();
                  long dim = 0;
                  while (d.hasNext()) {
                    if (d.readTag() == 1 << 3) {
                      dim = d.readVarint();
                    } else {
                      d.skip();
                    }
                  }
                  dims.add(dim);
                }
                case 3 << 3 -> {
                  if (s.readVarint() != 0) {
                    throw new CheckpointException(index + " entry '" + name
                        + "' has a shape of unknown rank");
                  }
                }
                default -> s.skip();
              }
            }
          }
          case 3 << 3 -> shard = r.readVarint();
          case 4 << 3 -> offset = r.readVarint();
          case 5 << 3 -> size = r.readVarint();
          case 6 << 3 | ProtobufReader.FIXED32 -> crc = r.readFixed32();
          case 7 << 3 | ProtobufReader.LENGTH_DELIMITED -> {
            r.readMessage();
            slices++;
          }
          default -> r.skip();
        }
      }
    } catch (ProtobufReader.FormatException e) {
      throw IndexTable.notProtobuf(index + " entry '" + name + "'", e);
    }
    long[] shape = new long[dims.size()];
    for (int i = 0; i < shape.length; i++) {
      shape[i] = dims.get(i);
      if (shape[i] < 0) {
        throw new CheckpointException(index + " entry '" + name + "' has an invalid shape "
            + dims + " (negative or unknown dimension)");
      }
    }
    if (dtype < 0 || dtype > Integer.MAX_VALUE || shard < 0 || shard > Integer.MAX_VALUE
        || offset < 0 || size < 0) {
      throw new CheckpointException(index + " entry '" + name + "' has an invalid dtype, shard,"
          + " offset or size (" + dtype + ", " + shard + ", " + offset + ", " + size + ")");
    }
    return new BundleEntry(name, TfDataType.of((int) dtype), (int) dtype, shape, (int) shard,
        offset, size, Crc32c.unmask(crc), slices);
  }

  private static void validate(Path index, BundleEntry e, int numShards)
      throws CheckpointException {
    if (e.isPartitioned()) {
      return; // shard, offset, size and crc32c are ignored for the full entry of a slice set
    }
    if (e.shard() >= numShards) {
      throw new CheckpointException(index + " entry '" + e.name() + "' is in shard " + e.shard()
          + " but the header declares " + numShards + " shard(s)");
    }
    long elements;
    try {
      elements = e.numElements();
    } catch (ArithmeticException ex) {
      throw new CheckpointException(index + " entry '" + e.name() + "' has a shape "
          + Arrays.toString(e.shape()) + " whose element count overflows");
    }
    if (e.dtype().isFixedWidth()) {
      long expected = elements <= Long.MAX_VALUE / e.dtype().byteSize()
          ? elements * e.dtype().byteSize() : -1;
      if (expected != e.size()) {
        throw new CheckpointException(index + " entry '" + e.name() + "' is " + e.dtypeName()
            + " " + Arrays.toString(e.shape()) + " = " + elements + " x "
            + e.dtype().byteSize() + " bytes, but the index says " + e.size() + " bytes");
      }
    } else if (e.dtype() == TfDataType.STRING && e.size() < (elements > 0 ? elements + 4 : 0)) {
      throw new CheckpointException(index + " entry '" + e.name() + "' is DT_STRING "
          + Arrays.toString(e.shape()) + " but only " + e.size() + " bytes, fewer than "
          + (elements + 4) + " (one length byte per element plus a checksum)");
    }
  }

  private static void openShards(Path prefix, int numShards, Map<String, BundleEntry> entries,
      Map<Integer, FileChannel> shards) throws CheckpointException {
    Map<Integer, List<BundleEntry>> byShard = new TreeMap<>();
    for (BundleEntry e : entries.values()) {
      if (!e.isPartitioned()) {
        byShard.computeIfAbsent(e.shard(), k -> new ArrayList<>()).add(e);
      }
    }
    for (Map.Entry<Integer, List<BundleEntry>> s : byShard.entrySet()) {
      Path file = BundlePaths.dataFile(prefix, s.getKey(), numShards);
      List<BundleEntry> held = s.getValue();
      FileChannel channel;
      long length;
      try {
        channel = FileChannel.open(file, StandardOpenOption.READ);
        shards.put(s.getKey(), channel);
        length = channel.size();
      } catch (NoSuchFileException ex) {
        throw new CheckpointException("missing data shard " + file + " (shard " + s.getKey()
            + " of " + numShards + ", holds " + held.size() + " tensor(s), e.g. '"
            + held.get(0).name() + "')");
      } catch (IOException ex) {
        throw new CheckpointException("cannot open data shard " + file + ": " + ex, ex);
      }
      List<BundleEntry> cut = held.stream().filter(e -> e.offset() + e.size() > length).toList();
      if (!cut.isEmpty()) {
        BundleEntry e = cut.get(0);
        throw new CheckpointException(file + " is truncated: tensor '" + e.name() + "' ("
            + e.dtypeName() + " " + Arrays.toString(e.shape()) + ") needs bytes "
            + e.offset() + " to " + (e.offset() + e.size()) + " but the file has "
            + length + " bytes" + (cut.size() > 1
                ? " (" + cut.size() + " tensors of this shard run past its end)" : ""));
      }
    }
  }

  private static String describePrefixes(Path dir, String lead) {
    List<String> prefixes = new ArrayList<>();
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "*" + BundlePaths.INDEX_SUFFIX)) {
      for (Path p : ds) {
        prefixes.add(BundlePaths.prefixOf(p).toString());
      }
    } catch (IOException e) {
      return "cannot list " + dir + ": " + e.getMessage();
    }
    if (prefixes.isEmpty()) {
      return "it holds no " + BundlePaths.INDEX_SUFFIX + " file";
    }
    prefixes.sort(NATURAL);
    return lead + String.join(", ", prefixes);
  }

  private static final Pattern TRAILING_NUMBER = Pattern.compile("(.*?)(\\d+)");

  /** Orders ckpt-2 before ckpt-10. */
  private static final Comparator<String> NATURAL = (a, b) -> {
    Matcher ma = TRAILING_NUMBER.matcher(a);
    Matcher mb = TRAILING_NUMBER.matcher(b);
    if (ma.matches() && mb.matches() && ma.group(1).equals(mb.group(1))) {
      int c = new BigInteger(ma.group(2)).compareTo(new BigInteger(mb.group(2)));
      if (c != 0) {
        return c;
      }
    }
    return a.compareTo(b);
  };

  // ---- reading

  private interface ChunkConsumer {
    void accept(ByteBuffer chunk) throws CheckpointException;
  }

  private BundleEntry readable(String name) throws CheckpointException {
    if (closed) {
      throw new IllegalStateException(this + " is closed");
    }
    BundleEntry e = entry(name);
    if (e.isPartitioned()) {
      throw new CheckpointException(indexFile + ": tensor '" + name + "' ("
          + e.dtypeName() + " " + Arrays.toString(e.shape()) + ") is a partitioned variable"
          + " saved as " + e.slices() + " slices; sliced tensors are not supported");
    }
    return e;
  }

  private int elements(BundleEntry e) throws CheckpointException {
    long n = e.numElements();
    if (n > MAX_ARRAY) {
      throw tooLarge(e);
    }
    return (int) n;
  }

  /** Streams the entry's bytes in little-endian chunks, then checks the checksum. */
  private void readChunks(BundleEntry e, ChunkConsumer consumer) throws CheckpointException {
    // CHUNK is a multiple of every element size, and validate() made size one too
    ByteBuffer chunk = ByteBuffer.allocate((int) Math.min(CHUNK, Math.max(e.size(), 1)))
        .order(ByteOrder.LITTLE_ENDIAN);
    CRC32C crc = new CRC32C();
    FileChannel channel = shards.get(e.shard());
    long pos = e.offset();
    long end = e.offset() + e.size();
    while (pos < end) {
      chunk.clear();
      chunk.limit((int) Math.min(chunk.capacity(), end - pos));
      readAt(channel, chunk, pos, e);
      chunk.flip();
      crc.update(chunk);
      chunk.flip();
      consumer.accept(chunk);
      pos += chunk.limit();
    }
    checkCrc(e, (int) crc.getValue());
  }

  private void readFully(BundleEntry e, ByteBuffer into) throws CheckpointException {
    readAt(shards.get(e.shard()), into, e.offset(), e);
  }

  private void readAt(FileChannel channel, ByteBuffer into, long pos, BundleEntry e)
      throws CheckpointException {
    try {
      while (into.hasRemaining()) {
        int n = channel.read(into, pos);
        if (n < 0) {
          throw new CheckpointException(shardFile(e.shard()) + " is truncated: tensor '"
              + e.name() + "' needs bytes " + e.offset() + " to " + (e.offset() + e.size())
              + " but the file ends at " + pos + " (it shrank after the bundle was opened)");
        }
        pos += n;
      }
    } catch (IOException ex) {
      if (closed) {
        throw new IllegalStateException(this + " is closed", ex);
      }
      throw new CheckpointException("cannot read tensor '" + e.name() + "' from "
          + shardFile(e.shard()) + ": " + ex, ex);
    }
  }

  private void checkCrc(BundleEntry e, int actual) throws CheckpointException {
    if (actual != e.crc32c()) {
      throw new CheckpointException(shardFile(e.shard()) + " fails the checksum of tensor '"
          + e.name() + "' (" + e.size() + " bytes at offset " + e.offset() + "): stored "
          + Crc32c.hex(e.crc32c()) + ", computed " + Crc32c.hex(actual) + "; the file is corrupt");
    }
  }

  private Path shardFile(int shard) {
    return BundlePaths.dataFile(prefix, shard, numShards);
  }

  private CheckpointException wrongType(BundleEntry e, String wanted) {
    return new CheckpointException(indexFile + ": tensor '" + e.name() + "' is "
        + e.dtypeName() + " " + Arrays.toString(e.shape()) + ", not " + wanted);
  }

  private CheckpointException tooLarge(BundleEntry e) {
    return new CheckpointException(indexFile + ": tensor '" + e.name() + "' ("
        + e.dtypeName() + " " + Arrays.toString(e.shape()) + ", " + e.size()
        + " bytes) is too large for one Java array");
  }

  private List<String> similarNames(String name) {
    record Scored(String name, int distance) {}
    List<Scored> scored = new ArrayList<>();
    String bare = withoutValueSuffix(name);
    for (String candidate : entries.keySet()) {
      int d = Math.min(distance(name, candidate), distance(bare, withoutValueSuffix(candidate)));
      scored.add(new Scored(candidate, d));
    }
    scored.sort(Comparator.comparingInt(Scored::distance).thenComparing(Scored::name));
    List<String> out = new ArrayList<>();
    for (Scored s : scored.subList(0, Math.min(SUGGESTIONS, scored.size()))) {
      out.add(s.name());
    }
    return out;
  }

  /** Drops the {@code /.ATTRIBUTES/VARIABLE_VALUE} that object checkpoints add to each name. */
  private static String withoutValueSuffix(String name) {
    return name.endsWith(VALUE_SUFFIX) ? name.substring(0, name.length() - VALUE_SUFFIX.length())
        : name;
  }

  /** Levenshtein distance. */
  static int distance(String a, String b) {
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      prev[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.length()];
  }

  /** IEEE 754 binary16 to float, subnormals, infinities and NaN included. */
  static float halfToFloat(short h) {
    int bits = h & 0xffff;
    int sign = (bits & 0x8000) << 16;
    int exp = (bits >>> 10) & 0x1f;
    int mant = bits & 0x3ff;
    if (exp == 0x1f) {
      return Float.intBitsToFloat(sign | 0x7f80_0000 | mant << 13);
    }
    if (exp == 0) {
      float v = mant * 0x1p-24f; // subnormal (or zero)
      return sign != 0 ? -v : v;
    }
    return Float.intBitsToFloat(sign | (exp + 112) << 23 | mant << 13);
  }

  private static void closeAll(Iterable<FileChannel> channels) {
    for (FileChannel c : channels) {
      try {
        c.close();
      } catch (IOException ignored) {
        // read-only channel; nothing was written that a failed close could lose
      }
    }
  }
}
