package dev.pix2seq.official.bundle;

import java.util.Arrays;

/**
 * One tensor of a bundle as its {@code .index} describes it ({@code BundleEntryProto}). Immutable;
 * equality compares every field, the shape by content.
 *
 * @param name the key, e.g. {@code model/encoder/stem_conv/kernel/.ATTRIBUTES/VARIABLE_VALUE}
 * @param dtype the element type; {@link TfDataType#UNSUPPORTED} for codes not named there
 * @param dtypeCode TensorFlow's {@code DataType} number, also for unsupported types
 * @param shape dimensions, each >= 0, outermost first (empty for a scalar)
 * @param shard the data file holding the bytes, 0-based
 * @param offset where the bytes start in that file
 * @param size how many bytes
 * @param crc32c the CRC32C of those bytes, unmasked
 * @param slices 0, or for a partitioned variable the number of stored slices (whose own entries
 *     are not listed; reading such a tensor is not supported)
 */
public record BundleEntry(
    String name,
    TfDataType dtype,
    int dtypeCode,
    long[] shape,
    int shard,
    long offset,
    long size,
    int crc32c,
    int slices) {

  public BundleEntry {
    if (name == null || dtype == null || shape == null) {
      throw new NullPointerException("name, dtype and shape are required");
    }
    shape = shape.clone();
    for (long d : shape) {
      if (d < 0) {
        throw new IllegalArgumentException(
            "entry '" + name + "' has a negative dimension in " + Arrays.toString(shape));
      }
    }
    if (shard < 0 || offset < 0 || size < 0 || slices < 0) {
      throw new IllegalArgumentException("entry '" + name + "' has a negative shard, offset, size"
          + " or slice count: " + shard + ", " + offset + ", " + size + ", " + slices);
    }
  }

  /** The dimensions (a copy). */
  @Override
  public long[] shape() {
    return shape.clone();
  }

  /** The dimensions as ints, e.g. for {@link dev.pix2seq.api.checkpoint.NamedTensor}. */
  public int[] intShape() {
    int[] dims = new int[shape.length];
    for (int i = 0; i < dims.length; i++) {
      dims[i] = Math.toIntExact(shape[i]);
    }
    return dims;
  }

  /** The number of elements: the product of the dimensions (1 for a scalar). */
  public long numElements() {
    long n = 1;
    for (long d : shape) {
      n = Math.multiplyExact(n, d);
    }
    return n;
  }

  /** Whether this is a partitioned variable stored as slices. */
  public boolean isPartitioned() {
    return slices > 0;
  }

  /** TensorFlow's type name, e.g. {@code DT_FLOAT}, or {@code DataType(24)}. */
  public String dtypeName() {
    return TfDataType.nameOf(dtypeCode);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof BundleEntry e
        && e.name.equals(name)
        && e.dtype == dtype
        && e.dtypeCode == dtypeCode
        && Arrays.equals(e.shape, shape)
        && e.shard == shard
        && e.offset == offset
        && e.size == size
        && e.crc32c == crc32c
        && e.slices == slices;
  }

  @Override
  public int hashCode() {
    return 31 * (31 * name.hashCode() + dtypeCode) + Arrays.hashCode(shape);
  }

  /** E.g. {@code model/w DT_FLOAT [3, 4]}. */
  @Override
  public String toString() {
    return name + " " + dtypeName() + " " + Arrays.toString(shape)
        + (slices > 0 ? " (" + slices + " slices)" : "");
  }
}
