package dev.pix2seq.official.bundle;

import dev.pix2seq.api.CheckpointException;
import dev.pix2seq.api.checkpoint.NamedTensor;
import dev.pix2seq.api.checkpoint.ProtobufWriter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.CRC32C;

/**
 * Writes a single-shard TensorFlow tensor bundle ({@code prefix.index} and
 * {@code prefix.data-00000-of-00001}) that TensorFlow reads, e.g. with
 * {@code tf.train.load_variable}. Each {@code add*} call streams its tensor to a temporary data
 * file at once and keeps only the entry, so a bundle may be far larger than the heap.
 *
 * <pre>{@code
 * try (TensorBundleWriter w = TensorBundleWriter.create(Path.of("out/ckpt-1"))) {
 *   w.addFloats("model/w/.ATTRIBUTES/VARIABLE_VALUE", new long[] {3, 4}, values);
 *   w.addLongs("save_counter/.ATTRIBUTES/VARIABLE_VALUE", new long[0], new long[] {1});
 *   w.finish();
 * }
 * }</pre>
 *
 * <p>The files appear atomically: tensors go to a temporary file in the target folder;
 * {@link #finish()} writes the index to another, then renames the data file into place and the
 * index last (removing an older index of that prefix first, so an old index never describes new
 * data). {@link #close()} without {@code finish()} deletes the temporary files and writes
 * nothing. Tensors are packed without padding in the order added, entries sorted by name, as
 * TensorFlow's {@code BundleWriter} does: for the same tensors added in the same order both files
 * equal TensorFlow's byte for byte.
 *
 * <p>Not thread-safe: one thread owns a writer and closes it.
 */
public final class TensorBundleWriter implements AutoCloseable {

  /** This writer's format version ({@code kTensorBundleVersion}). */
  private static final int PRODUCER_VERSION = 1;
  private static final int CHUNK = 1 << 20;
  private static final int DT_STRING = TfDataType.STRING.code();

  private final Path prefix;
  private final Path dataFile;
  private final Path indexFile;
  private final int indexBlockSize;
  private final Map<byte[], byte[]> entries = new TreeMap<>(Arrays::compareUnsigned);
  private final ByteBuffer chunk = ByteBuffer.allocate(CHUNK).order(ByteOrder.LITTLE_ENDIAN);
  private Path dataTemp;
  private FileChannel data;
  private long size;
  private boolean finished;
  private boolean failed;

  private TensorBundleWriter(Path prefix, int indexBlockSize) throws CheckpointException {
    this.prefix = prefix;
    this.dataFile = BundlePaths.dataFile(prefix, 0, 1);
    this.indexFile = BundlePaths.indexFile(prefix);
    this.indexBlockSize = indexBlockSize;
    try {
      Files.createDirectories(prefix.getParent());
      dataTemp = Files.createTempFile(prefix.getParent(), "." + dataFile.getFileName(), ".tmp");
      data = FileChannel.open(dataTemp, StandardOpenOption.WRITE);
    } catch (IOException e) {
      deleteQuietly(dataTemp);
      throw new CheckpointException("cannot create " + dataFile + ": " + e, e);
    }
  }

  /**
   * Starts a bundle with the given prefix, e.g. {@code out/ckpt-1}, creating missing folders.
   *
   * @throws CheckpointException if the temporary data file cannot be created
   */
  public static TensorBundleWriter create(Path prefix) throws CheckpointException {
    return create(prefix, IndexTableWriter.DEFAULT_BLOCK_SIZE);
  }

  /** As {@link #create(Path)} with another index block size, so tests get several blocks. */
  static TensorBundleWriter create(Path prefix, int indexBlockSize) throws CheckpointException {
    Path p = prefix.toAbsolutePath().normalize();
    if (p.getFileName() == null || p.getParent() == null) {
      throw new IllegalArgumentException("not a checkpoint prefix: " + prefix);
    }
    return new TensorBundleWriter(p, indexBlockSize);
  }

  /**
   * Adds a {@code DT_FLOAT} tensor.
   *
   * @param shape dimensions, outermost first; empty for a scalar
   * @param values row-major, as many as the shape's product
   * @throws IllegalArgumentException if the name is empty, reserved or taken, or the number of
   *     values does not match the shape
   * @throws CheckpointException if writing fails
   */
  public void addFloats(String name, long[] shape, float[] values) throws CheckpointException {
    byte[] key = begin(name, shape, values.length);
    CRC32C crc = new CRC32C();
    long start = size;
    writeValues(values.length, 4, crc, (i, n) -> chunk.asFloatBuffer().put(values, i, n));
    end(key, TfDataType.FLOAT.code(), shape, start, crc);
  }

  /** Adds a {@code DT_FLOAT} tensor with the name and shape of {@code tensor}. */
  public void add(NamedTensor tensor) throws CheckpointException {
    int[] dims = tensor.shape();
    long[] shape = new long[dims.length];
    for (int i = 0; i < dims.length; i++) {
      shape[i] = dims[i];
    }
    addFloats(tensor.name(), shape, tensor.data());
  }

  /**
   * Adds a {@code DT_INT64} tensor, e.g. {@code save_counter} or a step counter.
   *
   * @throws IllegalArgumentException as {@link #addFloats}
   * @throws CheckpointException if writing fails
   */
  public void addLongs(String name, long[] shape, long[] values) throws CheckpointException {
    byte[] key = begin(name, shape, values.length);
    CRC32C crc = new CRC32C();
    long start = size;
    writeValues(values.length, 8, crc, (i, n) -> chunk.asLongBuffer().put(values, i, n));
    end(key, TfDataType.INT64.code(), shape, start, crc);
  }

  /**
   * Adds a tensor of any fixed-width dtype from its raw little-endian bytes.
   *
   * @throws IllegalArgumentException as {@link #addFloats}, or if the dtype is not fixed-width
   *     or the byte count is not elements x element size
   * @throws CheckpointException if writing fails
   */
  public void addBytes(String name, TfDataType dtype, long[] shape, byte[] littleEndian)
      throws CheckpointException {
    if (!dtype.isFixedWidth()) {
      throw new IllegalArgumentException("addBytes needs a fixed-width dtype, found " + dtype);
    }
    if (littleEndian.length % dtype.byteSize() != 0) {
      throw new IllegalArgumentException("'" + name + "': " + littleEndian.length
          + " bytes is not a whole number of " + dtype + " elements");
    }
    byte[] key = begin(name, shape, littleEndian.length / dtype.byteSize());
    CRC32C crc = new CRC32C();
    long start = size;
    writeBytes(littleEndian, crc);
    end(key, dtype.code(), shape, start, crc);
  }

  /** Adds a scalar {@code DT_STRING}, e.g. a {@code _CHECKPOINTABLE_OBJECT_GRAPH} stand-in. */
  public void addString(String name, byte[] value) throws CheckpointException {
    addStrings(name, new long[0], new byte[][] {value});
  }

  /**
   * Adds a {@code DT_STRING} tensor in TensorFlow's layout: a varint length per element, the
   * masked CRC32C of the lengths, then the bytes.
   *
   * @throws IllegalArgumentException as {@link #addFloats}
   * @throws CheckpointException if writing fails
   */
  public void addStrings(String name, long[] shape, byte[][] values) throws CheckpointException {
    byte[] key = begin(name, shape, values.length);
    ByteArrayOutputStream lengths = new ByteArrayOutputStream();
    CRC32C crc = new CRC32C(); // over each length as a little-endian uint32, not the varints
    ByteBuffer four = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN);
    for (byte[] v : values) {
      IndexTableWriter.putVarint(lengths, v.length);
      crc.update(four.putInt(0, v.length).array(), 0, 4);
    }
    byte[] lengthChecksum = four.putInt(0, Crc32c.mask((int) crc.getValue())).array().clone();
    long start = size;
    writeBytes(lengths.toByteArray(), null);
    writeBytes(lengthChecksum, crc); // the entry checksum goes on over these and the strings
    for (byte[] v : values) {
      writeBytes(v, crc);
    }
    end(key, DT_STRING, shape, start, crc);
  }

  /**
   * Writes the index and moves both files into place. Without this call {@link #close()} leaves
   * no bundle behind.
   *
   * @throws CheckpointException if writing or renaming fails
   */
  public void finish() throws CheckpointException {
    requireOpen();
    failed = true; // until the index is in place
    Path indexTemp = null;
    try {
      data.force(true);
      data.close();
      IndexTableWriter table = new IndexTableWriter(indexBlockSize);
      table.add(new byte[0], header());
      for (Map.Entry<byte[], byte[]> e : entries.entrySet()) {
        table.add(e.getKey(), e.getValue());
      }
      byte[] index = table.finish();
      indexTemp = Files.createTempFile(prefix.getParent(), "." + indexFile.getFileName(), ".tmp");
      try (FileChannel out = FileChannel.open(indexTemp, StandardOpenOption.WRITE)) {
        ByteBuffer b = ByteBuffer.wrap(index);
        while (b.hasRemaining()) {
          out.write(b);
        }
        out.force(true);
      }
      readableByAll(dataTemp);
      readableByAll(indexTemp);
      Files.deleteIfExists(indexFile);
      move(dataTemp, dataFile);
      move(indexTemp, indexFile);
      finished = true;
      failed = false;
    } catch (IOException e) {
      throw new CheckpointException("cannot write checkpoint " + prefix + ": " + e, e);
    } finally {
      deleteQuietly(indexTemp);
      if (!finished) {
        deleteQuietly(dataTemp);
      }
    }
  }

  /** Deletes the temporary files unless {@link #finish()} succeeded. Idempotent. */
  @Override
  public void close() {
    if (!finished) {
      failed = true;
      try {
        data.close();
      } catch (IOException ignored) {
        // the file is deleted next; nothing in it is kept
      }
      deleteQuietly(dataTemp);
    }
  }

  /** The data file's final path. */
  public Path dataFile() {
    return dataFile;
  }

  /** The index file's final path. */
  public Path indexFile() {
    return indexFile;
  }

  // ----

  private byte[] begin(String name, long[] shape, long count) {
    requireOpen();
    if (name == null || name.isEmpty() || name.charAt(0) == '\0') {
      throw new IllegalArgumentException("tensor name must be non-empty and not start with NUL"
          + " (the header and slice keys use those), found '" + name + "'");
    }
    byte[] key = name.getBytes(StandardCharsets.UTF_8);
    if (entries.containsKey(key)) {
      throw new IllegalArgumentException("duplicate tensor name '" + name + "'");
    }
    long n = 1;
    for (long d : shape) {
      if (d < 0) {
        throw new IllegalArgumentException("tensor '" + name + "' has a negative dimension in "
            + Arrays.toString(shape));
      }
      n = Math.multiplyExact(n, d);
    }
    if (n != count) {
      throw new IllegalArgumentException("tensor '" + name + "' of shape "
          + Arrays.toString(shape) + " needs " + n + " values, found " + count);
    }
    return key;
  }

  private void end(byte[] key, int dtype, long[] shape, long start, CRC32C crc) {
    ProtobufWriter dims = new ProtobufWriter();
    for (long d : shape) {
      dims.message(2, new ProtobufWriter().varint(1, d));
    }
    byte[] entry = new ProtobufWriter()
        .varint(1, dtype)
        .message(2, dims)
        .varint(3, 0)
        .varint(4, start)
        .varint(5, size - start)
        .fixed32(6, Crc32c.mask((int) crc.getValue()))
        .toByteArray();
    entries.put(key, entry);
  }

  private static byte[] header() {
    return new ProtobufWriter()
        .varint(1, 1) // num_shards
        .varint(2, 0) // endianness LITTLE
        .message(3, new ProtobufWriter().varint(1, PRODUCER_VERSION).varint(2, 0))
        .toByteArray();
  }

  /** Writes chunk[0, limit) and adds it to {@code crc} unless that is null. */
  /** Copies values {@code [from, from + n)} into the cleared chunk. */
  @FunctionalInterface
  private interface ChunkFill {
    void put(int from, int n);
  }

  /** Writes {@code count} values of {@code width} bytes through the chunk, a chunk at a time. */
  private void writeValues(int count, int width, CRC32C crc, ChunkFill fill)
      throws CheckpointException {
    for (int i = 0; i < count; ) {
      int n = Math.min(count - i, CHUNK / width);
      chunk.clear();
      fill.put(i, n);
      chunk.limit(width * n);
      writeChunk(crc);
      i += n;
    }
  }

  private void writeChunk(CRC32C crc) throws CheckpointException {
    if (crc != null) {
      chunk.position(0);
      crc.update(chunk);
    }
    chunk.position(0);
    try {
      while (chunk.hasRemaining()) {
        size += data.write(chunk);
      }
    } catch (IOException e) {
      failed = true;
      throw new CheckpointException("cannot write " + dataTemp + ": " + e, e);
    }
  }

  private void writeBytes(byte[] bytes, CRC32C crc) throws CheckpointException {
    for (int i = 0; i < bytes.length; ) {
      int n = Math.min(bytes.length - i, CHUNK);
      chunk.clear();
      chunk.put(bytes, i, n).flip();
      writeChunk(crc);
      i += n;
    }
  }

  private void requireOpen() {
    if (finished || failed) {
      throw new IllegalStateException("TensorBundleWriter for " + prefix + " is "
          + (finished ? "finished" : "closed or failed"));
    }
  }

  private static void move(Path from, Path to) throws IOException {
    Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  private static void readableByAll(Path file) throws IOException {
    if (file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
      Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
    }
  }

  private static void deleteQuietly(Path file) {
    if (file != null) {
      try {
        Files.deleteIfExists(file);
      } catch (IOException ignored) {
        // a hidden temp file; the error that matters was already reported
      }
    }
  }
}
