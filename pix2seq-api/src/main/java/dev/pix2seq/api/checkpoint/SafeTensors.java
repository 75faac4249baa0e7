package dev.pix2seq.api.checkpoint;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pix2seq.api.CheckpointException;
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
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32C;

/**
 * Reads and writes the safetensors format: an 8-byte little-endian header length, a JSON header
 * mapping each tensor name to {@code {"dtype", "shape", "data_offsets"}} (plus an optional
 * {@code __metadata__} object of strings), then the raw little-endian data. Only {@code F32}
 * tensors are used here.
 *
 * <p>Files written here also carry {@code pix2seq.data_crc32c} in their metadata, the CRC32C of
 * the data section; reading verifies it when present, so a file changed after writing is
 * rejected rather than silently loaded. Files from other tools (without the checksum) load too.
 */
public final class SafeTensors {

  /** Metadata key of the data section's CRC32C (8 lower-case hex digits). */
  public static final String CHECKSUM_KEY = "pix2seq.data_crc32c";

  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final long MAX_HEADER_BYTES = 100L * 1024 * 1024;

  private SafeTensors() {}

  /** The tensors and metadata of one file. */
  public record Contents(Map<String, NamedTensor> tensors, Map<String, String> metadata) {

    public Contents {
      tensors = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(tensors));
      metadata = Map.copyOf(metadata);
    }

    /**
     * The tensor called {@code name} with shape {@code shape}.
     *
     * @throws CheckpointException naming the file, the tensor and the shapes if it is missing or
     *     has another shape
     */
    public NamedTensor require(Path file, String name, int... shape) throws CheckpointException {
      NamedTensor t = tensors.get(name);
      if (t == null) {
        throw new CheckpointException(file + ": tensor '" + name + "' is missing");
      }
      if (!Arrays.equals(t.shape(), shape)) {
        throw new CheckpointException(
            file + ": tensor '" + name + "' has shape " + Arrays.toString(t.shape())
                + ", expected " + Arrays.toString(shape));
      }
      return t;
    }
  }

  /**
   * Writes {@code tensors} (in the given order) to {@code file} atomically: a temp file in the
   * same folder, then a rename.
   *
   * @throws IllegalArgumentException if two tensors share a name
   */
  public static void write(Path file, Collection<NamedTensor> tensors, Map<String, String> metadata)
      throws CheckpointException {
    ObjectNode header = MAPPER.createObjectNode();
    ObjectNode meta = header.putObject("__metadata__");
    metadata.forEach(meta::put);
    long offset = 0;
    CRC32C crc = new CRC32C();
    ByteBuffer chunk = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
    List<NamedTensor> ordered = new ArrayList<>(tensors);
    for (NamedTensor t : ordered) {
      if (t.name().equals("__metadata__") || header.has(t.name())) {
        throw new IllegalArgumentException("duplicate or reserved tensor name '" + t.name() + "'");
      }
      ObjectNode entry = header.putObject(t.name());
      entry.put("dtype", "F32");
      ArrayNode shape = entry.putArray("shape");
      for (int d : t.shape()) {
        shape.add(d);
      }
      long end = offset + 4L * t.size();
      entry.putArray("data_offsets").add(offset).add(end);
      offset = end;
      forEachChunk(t.data(), chunk, b -> crc.update(b));
    }
    meta.put(CHECKSUM_KEY, String.format("%08x", crc.getValue()));
    byte[] json = headerBytes(header);
    Path target = file.toAbsolutePath();
    Path tmp = null;
    try {
      Files.createDirectories(target.getParent());
      tmp = Files.createTempFile(target.getParent(), "." + target.getFileName(), ".tmp");
      try (FileChannel out = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
        ByteBuffer prefix = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
        prefix.putLong(json.length).flip();
        writeFully(out, prefix);
        writeFully(out, ByteBuffer.wrap(json));
        for (NamedTensor t : ordered) {
          IoConsumer writer = b -> writeFully(out, b);
          forEachChunk(t.data(), chunk, writer);
        }
        out.force(true);
      }
      if (tmp.getFileSystem().supportedFileAttributeViews().contains("posix")) {
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-r--r--"));
      }
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new CheckpointException(file + ": cannot write safetensors: " + e.getMessage(), e);
    } catch (java.io.UncheckedIOException e) {
      throw new CheckpointException(
          file + ": cannot write safetensors: " + e.getCause().getMessage(), e.getCause());
    } finally {
      if (tmp != null) {
        try {
          Files.deleteIfExists(tmp);
        } catch (IOException ignored) {
          // the temp file is hidden and harmless; the error that matters was already thrown
        }
      }
    }
  }

  /**
   * Reads every tensor of {@code file}.
   *
   * @throws CheckpointException naming the file and what is wrong: missing, truncated, a header
   *     that is not the safetensors layout, a dtype other than F32, offsets that do not tile the
   *     data section, or data whose checksum does not match
   */
  public static Contents read(Path file) throws CheckpointException {
    try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ)) {
      long size = in.size();
      if (size < 8) {
        throw bad(file, "file has " + size + " bytes, shorter than the 8-byte header length");
      }
      ByteBuffer prefix = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
      readFully(in, prefix, 0);
      long headerLength = prefix.flip().getLong();
      if (headerLength < 2 || headerLength > MAX_HEADER_BYTES || 8 + headerLength > size) {
        throw bad(file, "header length " + headerLength + " does not fit a file of " + size
            + " bytes (truncated or not a safetensors file)");
      }
      ByteBuffer headerBytes = ByteBuffer.allocate((int) headerLength);
      readFully(in, headerBytes, 8);
      JsonNode header;
      try {
        header = MAPPER.readTree(new String(headerBytes.array(), StandardCharsets.UTF_8));
      } catch (JsonProcessingException e) {
        throw bad(file, "header is not valid JSON: " + e.getOriginalMessage());
      }
      if (header == null || !header.isObject()) {
        throw bad(file, "header must be a JSON object");
      }
      long dataStart = 8 + headerLength;
      long dataLength = size - dataStart;
      Map<String, String> metadata = readMetadata(file, header.get("__metadata__"));
      List<Entry> entries = readEntries(file, header, dataLength);
      String expectedCrc = metadata.get(CHECKSUM_KEY);
      CRC32C crc = expectedCrc == null ? null : new CRC32C();
      Map<String, NamedTensor> tensors = new LinkedHashMap<>();
      for (Entry e : entries) {
        int count = (int) ((e.end - e.begin) / 4);
        ByteBuffer raw = ByteBuffer.allocate(count * 4).order(ByteOrder.LITTLE_ENDIAN);
        readFully(in, raw, dataStart + e.begin);
        raw.flip();
        if (crc != null) {
          crc.update(raw.duplicate());
        }
        float[] data = new float[count];
        raw.asFloatBuffer().get(data);
        tensors.put(e.name, new NamedTensor(e.name, e.shape, data));
      }
      if (crc != null && !String.format("%08x", crc.getValue()).equals(expectedCrc)) {
        throw bad(file, "data checksum " + String.format("%08x", crc.getValue())
            + " does not match the header's " + expectedCrc + " (the file was changed or damaged)");
      }
      return new Contents(tensors, metadata);
    } catch (java.nio.file.NoSuchFileException e) {
      throw new CheckpointException(file + ": weights file does not exist", e);
    } catch (IOException e) {
      throw new CheckpointException(file + ": cannot read safetensors: " + e.getMessage(), e);
    }
  }

  private record Entry(String name, int[] shape, long begin, long end) {}

  private static List<Entry> readEntries(Path file, JsonNode header, long dataLength)
      throws CheckpointException {
    List<Entry> entries = new ArrayList<>();
    Iterator<Map.Entry<String, JsonNode>> fields = header.fields();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> f = fields.next();
      String name = f.getKey();
      if (name.equals("__metadata__")) {
        continue;
      }
      JsonNode node = f.getValue();
      String dtype = node.path("dtype").asText("");
      if (!dtype.equals("F32")) {
        throw bad(file, "tensor '" + name + "' has dtype '" + dtype + "', expected F32");
      }
      JsonNode shapeNode = node.get("shape");
      JsonNode offsets = node.get("data_offsets");
      if (shapeNode == null || !shapeNode.isArray() || offsets == null || !offsets.isArray()
          || offsets.size() != 2 || !offsets.get(0).canConvertToLong()
          || !offsets.get(1).canConvertToLong()) {
        throw bad(file, "tensor '" + name + "' needs a shape array and two data_offsets");
      }
      int[] shape = new int[shapeNode.size()];
      long count = 1;
      for (int i = 0; i < shape.length; i++) {
        JsonNode d = shapeNode.get(i);
        if (!d.canConvertToInt() || d.asInt() < 0) {
          throw bad(file, "tensor '" + name + "' has an invalid dimension " + d);
        }
        shape[i] = d.asInt();
        count *= shape[i];
      }
      long begin = offsets.get(0).asLong();
      long end = offsets.get(1).asLong();
      if (begin < 0 || end < begin || end > dataLength) {
        throw bad(file, "tensor '" + name + "' has data_offsets [" + begin + ", " + end
            + "] outside the data section of " + dataLength + " bytes (truncated file?)");
      }
      if (end - begin != 4 * count || count > Integer.MAX_VALUE / 4) {
        throw bad(file, "tensor '" + name + "' of shape " + Arrays.toString(shape) + " needs "
            + 4 * count + " bytes, its data_offsets span " + (end - begin));
      }
      entries.add(new Entry(name, shape, begin, end));
    }
    List<Entry> byOffset = new ArrayList<>(entries);
    byOffset.sort((a, b) -> Long.compare(a.begin, b.begin));
    long expected = 0;
    for (Entry e : byOffset) {
      if (e.begin != expected) {
        throw bad(file, "tensor '" + e.name + "' starts at byte " + e.begin + ", expected "
            + expected + " (tensors overlap or leave a gap)");
      }
      expected = e.end;
    }
    if (expected != dataLength) {
      throw bad(file, "data section has " + dataLength + " bytes but the tensors cover "
          + expected + (expected > dataLength ? " (truncated file)" : " (trailing bytes)"));
    }
    return entries;
  }

  private static Map<String, String> readMetadata(Path file, JsonNode node)
      throws CheckpointException {
    Map<String, String> metadata = new LinkedHashMap<>();
    if (node == null) {
      return metadata;
    }
    if (!node.isObject()) {
      throw bad(file, "__metadata__ must be an object of strings");
    }
    Iterator<Map.Entry<String, JsonNode>> it = node.fields();
    while (it.hasNext()) {
      Map.Entry<String, JsonNode> e = it.next();
      if (!e.getValue().isTextual()) {
        throw bad(file, "__metadata__." + e.getKey() + " must be a string");
      }
      metadata.put(e.getKey(), e.getValue().asText());
    }
    return metadata;
  }

  private static byte[] headerBytes(ObjectNode header) {
    byte[] json;
    try {
      json = MAPPER.writeValueAsBytes(header);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialise a safetensors header", e);
    }
    int padded = (json.length + 7) / 8 * 8;
    byte[] out = Arrays.copyOf(json, padded);
    Arrays.fill(out, json.length, padded, (byte) ' ');
    return out;
  }

  @FunctionalInterface
  private interface IoConsumer {
    void accept(ByteBuffer buffer) throws IOException;
  }

  private static void forEachChunk(float[] data, ByteBuffer chunk, IoConsumer sink) {
    try {
      int perChunk = chunk.capacity() / 4;
      for (int i = 0; i < data.length; i += perChunk) {
        int n = Math.min(perChunk, data.length - i);
        chunk.clear();
        chunk.asFloatBuffer().put(data, i, n);
        chunk.limit(n * 4);
        sink.accept(chunk);
      }
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static void writeFully(FileChannel out, ByteBuffer b) throws IOException {
    while (b.hasRemaining()) {
      out.write(b);
    }
  }

  private static void readFully(FileChannel in, ByteBuffer b, long position) throws IOException {
    long pos = position;
    while (b.hasRemaining()) {
      int n = in.read(b, pos);
      if (n < 0) {
        throw new IOException("unexpected end of file at byte " + pos);
      }
      pos += n;
    }
  }

  private static CheckpointException bad(Path file, String what) {
    return new CheckpointException(file + ": not a valid safetensors file: " + what);
  }
}
