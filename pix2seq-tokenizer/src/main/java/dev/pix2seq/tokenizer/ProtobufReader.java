package dev.pix2seq.tokenizer;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Reads one protobuf message in the wire format: a sequence of fields, each a key (field number
 * and wire type, as a varint) and a value. Reads varint, 32-bit and length-delimited values
 * (strings, bytes, embedded messages) and skips any of those or a 64-bit value; groups (wire
 * types 3 and 4, deprecated) and the undefined wire types 6 and 7 are rejected. Offsets in
 * messages count from the start of the outermost buffer. Not thread-safe: one reader per parse.
 */
final class ProtobufReader {
  static final int VARINT = 0;
  static final int FIXED64 = 1;
  static final int LENGTH_DELIMITED = 2;
  static final int FIXED32 = 5;

  private final byte[] data;
  private final int end;
  private int pos;
  private int fieldNumber;
  private int wireType;

  /** A wire-format error, with the byte offset where it was found. */
  static final class FormatException extends Exception {
    private static final long serialVersionUID = 1L;

    FormatException(String message) {
      super(message);
    }
  }

  ProtobufReader(byte[] data) {
    this(data, 0, data.length);
  }

  private ProtobufReader(byte[] data, int from, int to) {
    this.data = data;
    this.pos = from;
    this.end = to;
  }

  /** Whether another field follows. */
  boolean hasNext() {
    return pos < end;
  }

  /** Reads the key of the next field; then {@link #fieldNumber()} and {@link #wireType()} tell. */
  void next() throws FormatException {
    int at = pos;
    long key = readVarint();
    int type = (int) (key & 7);
    long number = key >>> 3;
    if (number < 1 || number > 536_870_911) {
      throw new FormatException("invalid field number " + number + " at byte " + at);
    }
    if (type == 3 || type == 4) {
      throw new FormatException(
          "field " + number + " at byte " + at + " uses wire type " + type
              + " (group), which this reader does not support");
    }
    if (type > FIXED32) {
      throw new FormatException("invalid wire type " + type + " at byte " + at);
    }
    fieldNumber = (int) number;
    wireType = type;
  }

  int fieldNumber() {
    return fieldNumber;
  }

  int wireType() {
    return wireType;
  }

  /** Fails unless the current field has the wire type {@code expected}; names the field. */
  void expect(int expected, String field) throws FormatException {
    if (wireType != expected) {
      throw new FormatException(
          "field " + fieldNumber + " (" + field + ") before byte " + pos + ": expected wire type "
              + wireTypeName(expected) + ", found " + wireTypeName(wireType));
    }
  }

  long readVarint() throws FormatException {
    int at = pos;
    long value = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (pos >= end) {
        throw new FormatException("truncated varint at byte " + at);
      }
      byte b = data[pos++];
      value |= (long) (b & 0x7F) << shift;
      if (b >= 0) {
        return value;
      }
    }
    throw new FormatException("varint longer than 10 bytes at byte " + at);
  }

  /** A varint as int32 (negative values use ten bytes on the wire; the low 32 bits count). */
  int readInt32() throws FormatException {
    return (int) readVarint();
  }

  boolean readBool() throws FormatException {
    return readVarint() != 0;
  }

  int readFixed32() throws FormatException {
    require(4, "32-bit value");
    int v = (data[pos] & 0xFF) | (data[pos + 1] & 0xFF) << 8 | (data[pos + 2] & 0xFF) << 16
        | (data[pos + 3] & 0xFF) << 24;
    pos += 4;
    return v;
  }

  float readFloat() throws FormatException {
    return Float.intBitsToFloat(readFixed32());
  }

  /** The bytes of a length-delimited value. */
  byte[] readBytes() throws FormatException {
    int length = readLength();
    byte[] out = new byte[length];
    System.arraycopy(data, pos, out, 0, length);
    pos += length;
    return out;
  }

  /** A length-delimited value as strict UTF-8; {@code field} names it in the error. */
  String readString(String field) throws FormatException {
    int at = pos;
    byte[] bytes = readBytes();
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes))
          .toString();
    } catch (CharacterCodingException e) {
      throw new FormatException(field + " at byte " + at + " is not valid UTF-8");
    }
  }

  /** A reader of the embedded message in the current length-delimited field. */
  ProtobufReader readMessage() throws FormatException {
    int length = readLength();
    ProtobufReader sub = new ProtobufReader(data, pos, pos + length);
    pos += length;
    return sub;
  }

  /** Skips the value of the current field. */
  void skip() throws FormatException {
    switch (wireType) {
      case VARINT -> readVarint();
      case FIXED64 -> {
        require(8, "64-bit value");
        pos += 8;
      }
      case LENGTH_DELIMITED -> {
        int length = readLength(); // before reading pos: readLength advances it
        pos += length;
      }
      case FIXED32 -> {
        require(4, "32-bit value");
        pos += 4;
      }
      default -> throw new IllegalStateException("wire type " + wireType);
    }
  }

  private int readLength() throws FormatException {
    int at = pos;
    long length = readVarint();
    if (length < 0 || length > end - pos) {
      throw new FormatException(
          "length-delimited value at byte " + at + " claims " + length + " bytes, but only "
              + (end - pos) + " remain");
    }
    return (int) length;
  }

  private void require(int bytes, String what) throws FormatException {
    if (end - pos < bytes) {
      throw new FormatException(
          "truncated " + what + " at byte " + pos + ": " + bytes + " bytes needed, "
              + (end - pos) + " remain");
    }
  }

  private static String wireTypeName(int type) {
    return switch (type) {
      case VARINT -> "0 (varint)";
      case FIXED64 -> "1 (64-bit)";
      case LENGTH_DELIMITED -> "2 (length-delimited)";
      case FIXED32 -> "5 (32-bit)";
      default -> String.valueOf(type);
    };
  }
}
