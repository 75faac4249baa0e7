package dev.pix2seq.api.checkpoint;

import java.util.Arrays;

/**
 * A float32 tensor with a backend-neutral name, row-major (C order). Arrays are not copied;
 * treat them as read-only. Equality compares the contents.
 *
 * @param name parameter name, e.g. {@code decoder.layers.0.self_attention.qkv.weight}
 * @param shape dimensions, each >= 0 (empty for a scalar)
 * @param data the values, {@code product(shape)} of them
 */
public record NamedTensor(String name, int[] shape, float[] data) {

  public NamedTensor {
    if (name == null || name.isEmpty()) {
      throw new IllegalArgumentException("tensor name must not be empty");
    }
    long count = 1;
    for (int d : shape) {
      if (d < 0) {
        throw new IllegalArgumentException(
            "tensor '" + name + "' has a negative dimension in " + Arrays.toString(shape));
      }
      count *= d;
    }
    if (count != data.length) {
      throw new IllegalArgumentException(
          "tensor '" + name + "' of shape " + Arrays.toString(shape) + " needs " + count
              + " values, found " + data.length);
    }
  }

  /** Number of values. */
  public int size() {
    return data.length;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof NamedTensor t
        && t.name.equals(name)
        && Arrays.equals(t.shape, shape)
        && Arrays.equals(t.data, data);
  }

  @Override
  public int hashCode() {
    return 31 * (31 * name.hashCode() + Arrays.hashCode(shape)) + Arrays.hashCode(data);
  }

  @Override
  public String toString() {
    return "NamedTensor[" + name + " " + Arrays.toString(shape) + "]";
  }
}
