package dev.pix2seq.official.bundle;

/**
 * TensorFlow's {@code DataType} enum ({@code tensorflow/core/framework/types.proto}) as far as a
 * checkpoint can hold it. Codes this enum does not name map to {@link #UNSUPPORTED}; the entry
 * keeps the number ({@link BundleEntry#dtypeCode()}), so listing a bundle never fails.
 */
public enum TfDataType {
  FLOAT(1, 4),
  DOUBLE(2, 8),
  INT32(3, 4),
  UINT8(4, 1),
  INT16(5, 2),
  INT8(6, 1),
  /** Variable-length byte strings, e.g. {@code _CHECKPOINTABLE_OBJECT_GRAPH}. */
  STRING(7, 0),
  COMPLEX64(8, 8),
  INT64(9, 8),
  BOOL(10, 1),
  QINT8(11, 1),
  QUINT8(12, 1),
  QINT32(13, 4),
  BFLOAT16(14, 2),
  QINT16(15, 2),
  QUINT16(16, 2),
  UINT16(17, 2),
  COMPLEX128(18, 16),
  HALF(19, 2),
  RESOURCE(20, 0),
  VARIANT(21, 0),
  UINT32(22, 4),
  UINT64(23, 8),
  /** Any other code, such as the float8 and int4 types of newer TensorFlow releases. */
  UNSUPPORTED(-1, 0);

  private final int code;
  private final int byteSize;

  TfDataType(int code, int byteSize) {
    this.code = code;
    this.byteSize = byteSize;
  }

  /** The {@code DataType} number, or -1 for {@link #UNSUPPORTED}. */
  public int code() {
    return code;
  }

  /** Bytes per element of a fixed-width type; 0 for strings, resources, variants and others. */
  public int byteSize() {
    return byteSize;
  }

  /** Whether elements are stored as {@link #byteSize()} raw little-endian bytes each. */
  public boolean isFixedWidth() {
    return byteSize > 0;
  }

  /** The type for a {@code DataType} number; {@link #UNSUPPORTED} for codes not named here. */
  public static TfDataType of(int code) {
    for (TfDataType t : values()) {
      if (t.code == code && t != UNSUPPORTED) {
        return t;
      }
    }
    return UNSUPPORTED;
  }

  /** TensorFlow's name, e.g. {@code DT_FLOAT}; {@code DataType(24)} for an unsupported code. */
  static String nameOf(int code) {
    TfDataType t = of(code);
    return t == UNSUPPORTED ? "DataType(" + code + ")" : "DT_" + t.name();
  }
}
