package dev.pix2seq.api.checkpoint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The protobuf wire format as {@link ProtobufReader} reads and {@link ProtobufWriter} writes it. */
class ProtobufReaderTest {
  private static byte[] bytes(int... values) {
    byte[] out = new byte[values.length];
    for (int i = 0; i < values.length; i++) {
      out[i] = (byte) values[i];
    }
    return out;
  }

  @Test
  void readsEachWireTypeAndSkipsUnknownFields() throws Exception {
    ProtobufReader r = new ProtobufReader(bytes(
        0x08, 0x96, 0x01,                                 // 1: varint 150
        0x10, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01, // 2: -1
        0x1D, 0x00, 0x00, 0xC0, 0xBF,                     // 3: float -1.5
        0x21, 1, 2, 3, 4, 5, 6, 7, 8,                     // 4: 64-bit, skipped
        0x2A, 0x03, 0x08, 0x07, 0x00,                     // 5: message {1: 7}, then a 0 byte
        0x32, 0x02, 'h', 'i'));                           // 6: string "hi"
    assertEquals(1 << 3 | ProtobufReader.VARINT, r.readTag());
    assertEquals(1, r.fieldNumber());
    assertEquals(150, r.readVarint());
    r.readTag();
    assertEquals(-1, r.readInt32());
    assertEquals(3 << 3 | ProtobufReader.FIXED32, r.readTag());
    assertEquals(ProtobufReader.FIXED32, r.wireType());
    assertEquals(-1.5f, r.readFloat());
    r.readTag();
    assertEquals(ProtobufReader.FIXED64, r.wireType());
    r.skip();
    r.readTag();
    ProtobufReader inner = r.readMessage();
    inner.readTag();
    assertEquals(7, inner.readVarint());
    assertTrue(inner.hasNext(), "the embedded message has one more byte");
    r.readTag();
    assertEquals(6, r.fieldNumber());
    assertEquals("hi", r.readString("field 6"));
    assertFalse(r.hasNext());
  }

  @Test
  void skipsEveryWireType() throws Exception {
    ProtobufReader r = new ProtobufReader(bytes(
        0x08, 0x96, 0x01,                                 // 1: varint
        0x11, 1, 2, 3, 4, 5, 6, 7, 8,                     // 2: 64-bit
        0x1A, 0x02, 'a', 'b',                             // 3: length-delimited
        0x25, 1, 2, 3, 4,                                 // 4: 32-bit
        0x28, 0x01));                                     // 5: varint 1
    for (int field = 1; field <= 4; field++) {
      r.readTag();
      assertEquals(field, r.fieldNumber());
      r.skip();
    }
    r.readTag();
    assertTrue(r.readBool());
    assertFalse(r.hasNext());
  }

  @Test
  void readsFixed64LittleEndian() throws Exception {
    ProtobufReader r = new ProtobufReader(bytes(0x09, 8, 7, 6, 5, 4, 3, 2, 0x81));
    r.readTag();
    assertEquals(0x8102030405060708L, r.readFixed64());
  }

  @Test
  void aRangeOfTheArrayIsReadWithOffsetsFromTheArraysStart() throws Exception {
    // bytes 2 to 4 hold field 1 = 150; the range ends before the trailing 0x08
    byte[] data = bytes(0xFF, 0xFF, 0x08, 0x96, 0x01, 0x08);
    ProtobufReader r = new ProtobufReader(data, 2, 3);
    assertEquals(2, r.position());
    r.readTag();
    assertEquals(150, r.readVarint());
    assertEquals(5, r.position());
    assertFalse(r.hasNext(), "the range ends at byte 5");

    ProtobufReader cut = new ProtobufReader(data, 2, 2);
    cut.readTag();
    ProtobufReader.FormatException e =
        assertThrows(ProtobufReader.FormatException.class, cut::readVarint);
    assertEquals("truncated varint at byte 3", e.getMessage());
    assertThrows(IndexOutOfBoundsException.class, () -> new ProtobufReader(data, 4, 3));
  }

  @Test
  void aWrongWireTypeNamesTheField() throws Exception {
    ProtobufReader r = new ProtobufReader(bytes(0x08, 0x01));
    r.readTag();
    ProtobufReader.FormatException e = assertThrows(ProtobufReader.FormatException.class,
        () -> r.expect(ProtobufReader.LENGTH_DELIMITED, "ModelProto.pieces"));
    assertEquals("field 1 (ModelProto.pieces) before byte 1: expected wire type"
        + " 2 (length-delimited), found 0 (varint)", e.getMessage());
  }

  @Test
  void malformedInputIsReportedWithItsOffset() {
    assertError(bytes(0x08, 0x96), "truncated varint at byte 1");
    assertError(bytes(0x08, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01),
        "longer than 10 bytes");
    assertError(bytes(0x0A, 0x05, 'a'), "claims 5 bytes, but only 1 remain");
    assertError(bytes(0x0B), "wire type 3 (group)");
    assertError(bytes(0x0F), "invalid wire type 7");
    assertError(bytes(0x00), "invalid field number 0");
    assertError(bytes(0x0D, 0x00, 0x00), "truncated 32-bit value at byte 1");
    assertError(bytes(0x09, 0x00, 0x00), "truncated 64-bit value at byte 1");
    assertError(bytes(0x0A, 0x01, 0xFF), "not valid UTF-8");
  }

  @Test
  void writerLeavesZerosOutAndWritesNegativeVarintsInTenBytes() throws Exception {
    byte[] b = new ProtobufWriter()
        .varint(1, -1)
        .fixed32(6, 0x01020304)
        .varint(2, 0)
        .fixed32(3, 0)
        .message(7, new ProtobufWriter().varint(1, 300))
        .toByteArray();
    assertEquals(1 + 10 + 1 + 4 + 1 + 1 + 3, b.length, "zero fields are left out");
    ProtobufReader r = new ProtobufReader(b);
    assertEquals(1 << 3, r.readTag());
    assertEquals(-1L, r.readVarint());
    assertEquals(6 << 3 | ProtobufReader.FIXED32, r.readTag());
    assertEquals(0x01020304, r.readFixed32());
    assertEquals(7 << 3 | ProtobufReader.LENGTH_DELIMITED, r.readTag());
    ProtobufReader inner = r.readMessage();
    inner.readTag();
    assertEquals(300, inner.readVarint());
    assertFalse(r.hasNext());
    assertArrayEquals(bytes(0x0A, 0x00),
        new ProtobufWriter().message(1, new ProtobufWriter()).toByteArray(),
        "an empty message field is written");
  }

  private static void assertError(byte[] data, String expected) {
    ProtobufReader r = new ProtobufReader(data);
    ProtobufReader.FormatException e = assertThrows(ProtobufReader.FormatException.class, () -> {
      while (r.hasNext()) {
        r.readTag();
        if (r.wireType() == ProtobufReader.VARINT) {
          r.readVarint();
        } else if (r.wireType() == ProtobufReader.LENGTH_DELIMITED) {
          r.readString("text");
        } else {
          r.skip();
        }
      }
    });
    assertTrue(e.getMessage().contains(expected), e.getMessage());
  }
}
