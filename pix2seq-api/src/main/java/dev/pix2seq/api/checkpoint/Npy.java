package dev.pix2seq.api.checkpoint;

import dev.pix2seq.api.ConfigException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * NumPy's {@code .npy} format (versions 1.0 to 3.0, C order, little-endian), so that arrays can be
 * exchanged with any Python implementation: {@code numpy.save} writes what {@link #read} reads,
 * and {@code numpy.load} reads what {@link #writeFloats} writes.
 *
 * <pre>{@code
 * Npy.Array images = Npy.read(Path.of("images.npy"));   // float32 N x H x W x 3
 * float[] pixels = images.floats();
 * Npy.writeFloats(Path.of("logits.npy"), logits, n, t, v);
 * }</pre>
 */
public final class Npy {

  private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
  private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([^']*)'");
  private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
  private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");
  private static final long MAX_VALUES = Integer.MAX_VALUE - 8;

  private Npy() {}

  /** The element types read here, by their NumPy {@code descr}. */
  public enum DType {
    FLOAT32("<f4", 4),
    FLOAT64("<f8", 8),
    INT32("<i4", 4),
    INT64("<i8", 8),
    UINT8("|u1", 1);

    private final String descr;
    private final int bytes;

    DType(String descr, int bytes) {
      this.descr = descr;
      this.bytes = bytes;
    }

    /** NumPy's type string, e.g. {@code <f4}. */
    public String descr() {
      return descr;
    }

    static DType of(String descr) {
      String d = descr.equals("<u1") ? "|u1" : descr;
      for (DType t : values()) {
        if (t.descr.equals(d)) {
          return t;
        }
      }
      return null;
    }
  }

  /**
   * An array as stored: its type, its shape and its raw little-endian bytes (C order).
   *
   * @param dtype element type
   * @param shape dimensions
   * @param data raw values, read-only, little-endian
   */
  public record Array(DType dtype, int[] shape, ByteBuffer data) {

    public Array {
      shape = shape.clone();
      data = data.asReadOnlyBuffer().order(ByteOrder.LITTLE_ENDIAN);
    }

    @Override
    public int[] shape() {
      return shape.clone();
    }

    /** Number of values. */
    public int size() {
      return data.remaining() / dtype.bytes;
    }

    /** The values as floats: float32 as they are, float64 rounded, integers converted. */
    public float[] floats() {
      float[] out = new float[size()];
      ByteBuffer b = data.duplicate().order(ByteOrder.LITTLE_ENDIAN);
      for (int i = 0; i < out.length; i++) {
        out[i] = switch (dtype) {
          case FLOAT32 -> b.getFloat();
          case FLOAT64 -> (float) b.getDouble();
          case INT32 -> b.getInt();
          case INT64 -> b.getLong();
          case UINT8 -> b.get() & 0xff;
        };
      }
      return out;
    }

    /**
     * The values as ints, for integer arrays.
     *
     * @param source the file or argument, for messages
     * @throws IllegalArgumentException naming {@code source} if the array holds floats or a
     *     value outside the int range
     */
    public int[] ints(String source) {
      if (dtype == DType.FLOAT32 || dtype == DType.FLOAT64) {
        throw new IllegalArgumentException(
            source + ": expected an integer array (int64 or int32), found " + dtype.descr());
      }
      int[] out = new int[size()];
      ByteBuffer b = data.duplicate().order(ByteOrder.LITTLE_ENDIAN);
      for (int i = 0; i < out.length; i++) {
        long v = switch (dtype) {
          case INT32 -> b.getInt();
          case INT64 -> b.getLong();
          case UINT8 -> b.get() & 0xff;
          default -> throw new AssertionError(dtype);
        };
        if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
          throw new IllegalArgumentException(
              source + ": value " + v + " at index " + i + " is outside the int range");
        }
        out[i] = (int) v;
      }
      return out;
    }
  }

  /**
   * Reads an {@code .npy} file.
   *
   * @throws ConfigException naming the file when it is missing, not an {@code .npy} file,
   *     truncated, Fortran-ordered, big-endian or of an unsupported type
   */
  public static Array read(Path file) throws ConfigException {
    try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ)) {
      long fileSize = in.size();
      ByteBuffer start = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN);
      readFully(in, start, 0, file);
      start.flip();
      byte[] magic = new byte[6];
      start.get(magic);
      if (!Arrays.equals(magic, MAGIC)) {
        throw bad(file, "not a NumPy .npy file (no \\x93NUMPY magic)");
      }
      int major = start.get() & 0xff;
      start.get();
      long headerLength;
      long headerStart;
      if (major == 1) {
        headerLength = start.getShort() & 0xffff;
        headerStart = 10;
      } else if (major == 2 || major == 3) {
        headerLength = start.getInt() & 0xffffffffL;
        headerStart = 12;
      } else {
        throw bad(file, "unsupported .npy version " + major);
      }
      if (headerStart + headerLength > fileSize) {
        throw bad(file, "truncated header");
      }
      ByteBuffer headerBytes = ByteBuffer.allocate((int) headerLength);
      readFully(in, headerBytes, headerStart, file);
      String header = new String(headerBytes.array(),
          major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
      String descr = group(DESCR, header, file, "descr");
      DType dtype = DType.of(descr);
      if (dtype == null) {
        throw bad(file, "unsupported dtype '" + descr
            + "'; expected little-endian float32, float64, int32, int64 or uint8");
      }
      if (group(FORTRAN, header, file, "fortran_order").equals("True")) {
        throw bad(file, "Fortran-ordered arrays are not supported; save a C-ordered array");
      }
      int[] shape = parseShape(group(SHAPE, header, file, "shape"), file);
      long count = 1;
      for (int d : shape) {
        count *= d;
        if (count > MAX_VALUES) {
          throw bad(file, "shape " + Arrays.toString(shape) + " is too large");
        }
      }
      long dataStart = headerStart + headerLength;
      long bytes = count * dtype.bytes;
      if (dataStart + bytes > fileSize) {
        throw bad(file, "truncated: shape " + Arrays.toString(shape) + " of " + descr + " needs "
            + bytes + " data bytes, the file has " + (fileSize - dataStart));
      }
      if (bytes > Integer.MAX_VALUE) {
        throw bad(file, "array of " + bytes + " bytes is too large to read");
      }
      ByteBuffer data = ByteBuffer.allocate((int) bytes).order(ByteOrder.LITTLE_ENDIAN);
      readFully(in, data, dataStart, file);
      data.flip();
      return new Array(dtype, shape, data);
    } catch (NoSuchFileException e) {
      throw new ConfigException(file + ": no such file", e);
    } catch (IOException e) {
      throw new ConfigException(file + ": cannot read: " + e.getMessage(), e);
    }
  }

  /**
   * Writes float32 values of the given shape as a version 1.0 {@code .npy} file, atomically (a
   * temp file in the same folder, then a rename).
   *
   * @throws IllegalArgumentException if the shape does not hold {@code values.length} values
   */
  public static void writeFloats(Path file, float[] values, int... shape) throws IOException {
    long count = 1;
    for (int d : shape) {
      count *= d;
    }
    if (count != values.length) {
      throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " holds " + count
          + " values, found " + values.length);
    }
    StringBuilder dims = new StringBuilder();
    for (int d : shape) {
      dims.append(d).append(", ");
    }
    if (shape.length > 1) {
      dims.setLength(dims.length() - 2);
    } else if (shape.length == 1) {
      dims.setLength(dims.length() - 1);
    }
    String dict = String.format(Locale.ROOT,
        "{'descr': '<f4', 'fortran_order': False, 'shape': (%s), }", dims);
    int unpadded = 10 + dict.length() + 1;
    int padding = (64 - unpadded % 64) % 64;
    String header = dict + " ".repeat(padding) + "\n";
    ByteBuffer buf = ByteBuffer.allocate(10 + header.length() + 4 * values.length)
        .order(ByteOrder.LITTLE_ENDIAN);
    buf.put(MAGIC).put((byte) 1).put((byte) 0).putShort((short) header.length());
    buf.put(header.getBytes(StandardCharsets.ISO_8859_1));
    buf.asFloatBuffer().put(values);
    Path target = file.toAbsolutePath();
    Files.createDirectories(target.getParent());
    Path tmp = Files.createTempFile(target.getParent(), "." + target.getFileName(), ".tmp");
    try {
      Files.write(tmp, buf.array());
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  private static int[] parseShape(String text, Path file) throws ConfigException {
    List<Integer> dims = new ArrayList<>();
    for (String part : text.split(",")) {
      String p = part.trim();
      if (p.isEmpty()) {
        continue;
      }
      if (p.endsWith("L")) {
        p = p.substring(0, p.length() - 1);
      }
      try {
        int d = Integer.parseInt(p);
        if (d < 0) {
          throw bad(file, "negative dimension in shape (" + text + ")");
        }
        dims.add(d);
      } catch (NumberFormatException e) {
        throw bad(file, "cannot read shape (" + text + ")");
      }
    }
    return dims.stream().mapToInt(Integer::intValue).toArray();
  }

  private static String group(Pattern p, String header, Path file, String field)
      throws ConfigException {
    Matcher m = p.matcher(header);
    if (!m.find()) {
      throw bad(file, "header has no '" + field + "' entry");
    }
    return m.group(1);
  }

  private static void readFully(FileChannel in, ByteBuffer buf, long position, Path file)
      throws IOException, ConfigException {
    long pos = position;
    while (buf.hasRemaining()) {
      int n = in.read(buf, pos);
      if (n < 0) {
        throw bad(file, "truncated file");
      }
      pos += n;
    }
  }

  private static ConfigException bad(Path file, String what) {
    return new ConfigException(file + ": " + what);
  }
}
