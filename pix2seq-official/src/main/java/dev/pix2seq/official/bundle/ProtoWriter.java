package dev.pix2seq.official.bundle;

import java.util.Arrays;

/**
 * A minimal protobuf wire-format writer with proto3 semantics: scalar fields equal to zero are
 * left out, fields are written in the order called (callers go by field number, as protoc does).
 */
final class ProtoWriter {

  private byte[] buf = new byte[64];
  private int size;

  /** A varint field, left out when zero; negative values take ten bytes, as int32/int64 do. */
  ProtoWriter varint(int field, long value) {
    if (value != 0) {
      rawVarint((long) field << 3 | ProtoReader.VARINT);
      rawVarint(value);
    }
    return this;
  }

  /** A fixed32 field, left out when zero. */
  ProtoWriter fixed32(int field, int value) {
    if (value != 0) {
      rawVarint((long) field << 3 | ProtoReader.FIXED32);
      ensure(4);
      for (int i = 0; i < 4; i++) {
        buf[size++] = (byte) (value >>> (8 * i));
      }
    }
    return this;
  }

  /** A sub-message field, written even when empty (a set message field is present). */
  ProtoWriter message(int field, ProtoWriter message) {
    rawVarint((long) field << 3 | ProtoReader.LENGTH_DELIMITED);
    rawVarint(message.size);
    ensure(message.size);
    System.arraycopy(message.buf, 0, buf, size, message.size);
    size += message.size;
    return this;
  }

  byte[] toByteArray() {
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
