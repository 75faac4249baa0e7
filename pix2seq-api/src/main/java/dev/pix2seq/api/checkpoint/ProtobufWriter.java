package dev.pix2seq.api.checkpoint;

import java.util.Arrays;

/**
 * Writes a protobuf message in the wire format with proto3 semantics, without a protobuf
 * library: scalar fields equal to zero are left out, fields are written in the order called
 * (callers go by field number, as protoc does). {@link ProtobufReader} reads what it writes.
 *
 * <pre>{@code
 * byte[] header = new ProtobufWriter()
 *     .varint(1, numShards)
 *     .message(3, new ProtobufWriter().varint(1, version))
 *     .toByteArray();
 * }</pre>
 *
 * <p>Not thread-safe.
 */
public final class ProtobufWriter {

  private byte[] buf = new byte[64];
  private int size;

  /** A varint field, left out when zero; negative values take ten bytes, as int32/int64 do. */
  public ProtobufWriter varint(int field, long value) {
    if (value != 0) {
      rawVarint((long) field << 3 | ProtobufReader.VARINT);
      rawVarint(value);
    }
    return this;
  }

  /** A fixed32 field, little-endian, left out when zero. */
  public ProtobufWriter fixed32(int field, int value) {
    if (value != 0) {
      rawVarint((long) field << 3 | ProtobufReader.FIXED32);
      ensure(4);
      for (int i = 0; i < 4; i++) {
        buf[size++] = (byte) (value >>> (8 * i));
      }
    }
    return this;
  }

  /** A sub-message field, written even when empty (a set message field is present). */
  public ProtobufWriter message(int field, ProtobufWriter message) {
    rawVarint((long) field << 3 | ProtobufReader.LENGTH_DELIMITED);
    rawVarint(message.size);
    ensure(message.size);
    System.arraycopy(message.buf, 0, buf, size, message.size);
    size += message.size;
    return this;
  }

  /** The message written so far. */
  public byte[] toByteArray() {
    return Arrays.copyOf(buf, size);
  }

  private void rawVarint(long value) {
    ensure(10);
    while ((value & ~0x7fL) != 0) {
      buf[size++] = (byte) ((value & 0x7f) | 0x80);
      value >>>= 7;
    }
    buf[size++] = (byte) value;
  }

  private void ensure(int extra) {
    if (size + extra > buf.length) {
      buf = Arrays.copyOf(buf, Math.max(buf.length * 2, size + extra));
    }
  }
}
