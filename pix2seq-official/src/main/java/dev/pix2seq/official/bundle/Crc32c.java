package dev.pix2seq.official.bundle;

import java.util.zip.CRC32C;

/**
 * CRC32C as TensorFlow stores it. Checksums kept next to the data they cover (block trailers,
 * {@code BundleEntryProto.crc32c}, string length checksums) are <em>masked</em>: rotated right by
 * 15 bits plus the constant {@code 0xa282ead8}, as in LevelDB's {@code crc32c::Mask}.
 */
final class Crc32c {

  private static final int MASK_DELTA = 0xa282ead8;

  private Crc32c() {}

  static int value(byte[] data, int offset, int length) {
    CRC32C crc = new CRC32C();
    crc.update(data, offset, length);
    return (int) crc.getValue();
  }

  static int mask(int crc) {
    return ((crc >>> 15) | (crc << 17)) + MASK_DELTA;
  }

  static int unmask(int masked) {
    int rotated = masked - MASK_DELTA;
    return (rotated >>> 17) | (rotated << 15);
  }

  static String hex(int crc) {
    return String.format("%08x", crc);
  }
}
