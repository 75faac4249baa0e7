package dev.pix2seq.official.bundle;

import dev.pix2seq.api.CheckpointException;

/**
 * A minimal protobuf wire-format reader over a byte range: varints, fixed32/64 and
 * length-delimited fields; unknown fields are skipped. Errors name {@code where}.
 */
final class ProtoReader {

  static final int VARINT = 0;
  static final int FIXED64 = 1;
  static final int LENGTH_DELIMITED = 2;
  static final int FIXED32 = 5;

  private final byte[] buf;
  private final String where;
  private final int limit;
  private int pos;

  ProtoReader(byte[] buf, int offset, int length, String where) {
    this.buf = buf;
    this.pos = offset;
    this.limit = offset + length;
    this.where = where;
  }

  /** The absolute position in the buffer. */
  int position() {
    return pos;
  }

  boolean hasMore() {
    return pos < limit;
  }

  /** The next tag: field number {@code << 3 |} wire type. */
  int readTag() throws CheckpointException {
    long tag = readVarint();
    if (tag <= 0 || tag > 0xffff_ffffL || (tag >>> 3) == 0) {
      throw corrupt("bad field tag " + tag);
    }
    return (int) tag;
  }

  long readVarint() throws CheckpointException {
    long result = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (pos >= limit) {
        throw corrupt("truncated varint");
      }
      byte b = buf[pos++];
      result |= (long) (b & 0x7f) << shift;
      if (b >= 0) {
        return result;
      }
    }
    throw corrupt("varint longer than 10 bytes");
  }

  int readFixed32() throws CheckpointException {
    require(4);
    int v = (buf[pos] & 0xff) | (buf[pos + 1] & 0xff) << 8 | (buf[pos + 2] & 0xff) << 16
        | (buf[pos + 3] & 0xff) << 24;
    pos += 4;
    return v;
  }

  /** A length-delimited field as a reader over its bytes; this reader moves past them. */
  ProtoReader readMessage(String what) throws CheckpointException {
    int length = readLength();
    ProtoReader sub = new ProtoReader(buf, pos, length, where + " " + what);
    pos += length;
    return sub;
  }

  void skip(int tag) throws CheckpointException {
    switch (tag & 7) {
      case VARINT -> readVarint();
      case FIXED64 -> {
        require(8);
        pos += 8;
      }
      case LENGTH_DELIMITED -> {
        int length = readLength();
        pos += length;
      }
      case FIXED32 -> {
        require(4);
        pos += 4;
      }
      default -> throw corrupt("unsupported wire type " + (tag & 7) + " of field " + (tag >>> 3));
    }
  }

  CheckpointException corrupt(String what) {
    return new CheckpointException(where + " is not valid protobuf: " + what);
  }

  private int readLength() throws CheckpointException {
    long length = readVarint();
    if (length < 0 || length > limit - pos) {
      throw corrupt("length " + length + " runs past the end (" + (limit - pos) + " bytes left)");
    }
    return (int) length;
  }

  private void require(int n) throws CheckpointException {
    if (limit - pos < n) {
      throw corrupt("truncated field");
    }
  }
}
