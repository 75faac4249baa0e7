package dev.pix2seq.api.checkpoint;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * Reads protobuf messages in the wire format, without a protobuf library: a sequence of fields,
 * each a key (field number and wire type, as a varint) and a value. Reads varint, 32-bit, 64-bit
 * and length-delimited values (bytes, strings, embedded messages) and skips any of them; groups
 * (wire types 3 and 4, deprecated) and the undefined wire types 6 and 7 are rejected when their
 * key is read.
 *
 * <pre>{@code
 * ProtobufReader r = new ProtobufReader(bytes);
 * while (r.hasNext()) {
 *   switch (r.readTag()) {
 *     case 1 << 3 | ProtobufReader.VARINT -> count = r.readVarint();
 *     case 2 << 3 | ProtobufReader.LENGTH_DELIMITED -> name = r.readString("name");
 *     default -> r.skip();
 *   }
 * }
 * }</pre>
 *
 * <p>Malformed input throws {@link FormatException}, whose message gives the problem and the byte
 * offset in the array the outermost reader was made over; callers add the file name. Not
 * thread-safe: one reader per parse.
 */
public final class ProtobufReader {
  /** Wire type 0: int32, int64, uint32, uint64, sint32, sint64, bool, enum. */
  public static final int VARINT = 0;

  /** Wire type 1: fixed64, sfixed64, double. */
  public static final int FIXED64 = 1;

  /** Wire type 2: string, bytes, embedded messages, packed repeated fields. */
  public static final int LENGTH_DELIMITED = 2;

  /** Wire type 5: fixed32, sfixed32, float. */
  public static final int FIXED32 = 5;

  private static final long MAX_FIELD_NUMBER = (1L << 29) - 1;

  private final byte[] data;
  private final int end;
  private int pos;
  private int fieldNumber;
  private int wireType;

  /**
   * Malformed protobuf input; the message says what and at which byte. Callers wrap it in their
   * domain exception, naming the file.
   */
  public static final class FormatException extends Exception {
    private static final long serialVersionUID = 1L;

    public FormatException(String message) {
      super(message);
    }
  }

  /** A reader of the message that is the whole of {@code data}. */
  public ProtobufReader(byte[] data) {
    this(data, 0, data.length);
  }

  /**
   * A reader of the message in {@code data[offset, offset + length)}; offsets in messages count
   * from the start of {@code data}.
   *
   * @throws IndexOutOfBoundsException if the range is not inside {@code data}
   */
  public ProtobufReader(byte[] data, int offset, int length) {
    Objects.checkFromIndexSize(offset, length, data.length);
    this.data = data;
    this.pos = offset;
    this.end = offset + length;
  }

  /** The offset in the array of the next byte to read. */
  public int position() {
    return pos;
  }

  /** Whether another field (or value, for a packed field) follows. */
  public boolean hasNext() {
    return pos < end;
  }

  /**
   * Reads the key of the next field; then {@link #fieldNumber()} and {@link #wireType()} tell.
   *
   * @return the tag, {@code fieldNumber << 3 | wireType}
   * @throws FormatException if the field number is 0 or above 2^29-1, or the wire type is a
   *     group or undefined
   */
  public int readTag() throws FormatException {
    int at = pos;
    long key = readVarint();
    int type = (int) (key & 7);
    long number = key >>> 3;
    if (number < 1 || number > MAX_FIELD_NUMBER) {
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
    return (int) key;
  }

  /** The field number of the key {@link #readTag} read last. */
  public int fieldNumber() {
    return fieldNumber;
  }

  /** The wire type of the key {@link #readTag} read last. */
  public int wireType() {
    return wireType;
  }

  /**
   * Fails unless the current field has the wire type {@code expected}.
   *
   * @param field names the field in the message, e.g. {@code "ModelProto.pieces"}
   */
  public void expect(int expected, String field) throws FormatException {
    if (wireType != expected) {
      throw new FormatException(
          "field " + fieldNumber + " (" + field + ") before byte " + pos + ": expected wire type "
              + wireTypeName(expected) + ", found " + wireTypeName(wireType));
    }
  }

  /** A varint of up to ten bytes, as the unsigned 64 bits it encodes. */
  public long readVarint() throws FormatException {
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
  public int readInt32() throws FormatException {
    return (int) readVarint();
  }

  /** A varint as bool: anything but 0 is true. */
  public boolean readBool() throws FormatException {
    return readVarint() != 0;
  }

  /** A little-endian 32-bit value. */
  public int readFixed32() throws FormatException {
    require(4, "32-bit value");
    int v = (data[pos] & 0xFF) | (data[pos + 1] & 0xFF) << 8 | (data[pos + 2] & 0xFF) << 16
        | (data[pos + 3] & 0xFF) << 24;
    pos += 4;
    return v;
  }

  /** A little-endian 64-bit value. */
  public long readFixed64() throws FormatException {
    require(8, "64-bit value");
    long v = 0;
    for (int i = 7; i >= 0; i--) {
      v = v << 8 | (data[pos + i] & 0xFF);
    }
    pos += 8;
    return v;
  }

  /** A 32-bit IEEE float. */
  public float readFloat() throws FormatException {
    return Float.intBitsToFloat(readFixed32());
  }

  /** A copy of the bytes of a length-delimited value. */
  public byte[] readBytes() throws FormatException {
    int length = readLength();
    byte[] out = new byte[length];
    System.arraycopy(data, pos, out, 0, length);
    pos += length;
    return out;
  }

  /**
   * A length-delimited value as strict UTF-8.
   *
   * @param field names the value in the message if it is not valid UTF-8
   */
  public String readString(String field) throws FormatException {
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

  /**
   * A reader over a length-delimited value (an embedded message or a packed repeated field);
   * this reader moves past it.
   */
  public ProtobufReader readMessage() throws FormatException {
    int length = readLength();
    ProtobufReader sub = new ProtobufReader(data, pos, length);
    pos += length;
    return sub;
  }

  /** Skips the value of the current field. */
  public void skip() throws FormatException {
    switch (wireType) {
      case VARINT -> readVarint();
      case FIXED64 -> readFixed64();
      case LENGTH_DELIMITED -> {
        int length = readLength(); // before reading pos: readLength advances it
        pos += length;
      }
      case FIXED32 -> readFixed32();
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
