package dev.pix2seq.tokenizer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

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
    r.next();
    assertEquals(1, r.fieldNumber());
    assertEquals(150, r.readVarint());
    r.next();
    assertEquals(-1, r.readInt32());
    r.next();
    assertEquals(ProtobufReader.FIXED32, r.wireType());
    assertEquals(-1.5f, r.readFloat());
    r.next();
    assertEquals(ProtobufReader.FIXED64, r.wireType());
    r.skip();
    r.next();
    ProtobufReader inner = r.readMessage();
    inner.next();
    assertEquals(7, inner.readVarint());
    assertTrue(inner.hasNext(), "the embedded message has one more byte");
    r.next();
    assertEquals(6, r.fieldNumber());
    assertEquals("hi", r.readString("field 6"));
    assertFalse(r.hasNext());
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
    assertError(bytes(0x0A, 0x01, 0xFF), "not valid UTF-8");
  }

  private static void assertError(byte[] data, String expected) {
    ProtobufReader r = new ProtobufReader(data);
    ProtobufReader.FormatException e = assertThrows(ProtobufReader.FormatException.class, () -> {
      while (r.hasNext()) {
        r.next();
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
