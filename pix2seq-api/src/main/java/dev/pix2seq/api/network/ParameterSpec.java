package dev.pix2seq.api.network;

import java.util.Arrays;

/**
 * One trainable tensor of the network: its backend-neutral checkpoint name, its shape, how it
 * is initialised and whether AdamW's decoupled weight decay applies to it.
 *
 * @param name dotted checkpoint name, e.g. {@code encoder.layers.0.attention.qkv.weight}
 * @param shape dimensions (row-major float32); not copied, treat as read-only
 * @param initialiser how a fresh network fills it
 * @param decayed whether weight decay applies (rank >= 2 weights except position tables)
 */
public record ParameterSpec(String name, int[] shape, Initialiser initialiser, boolean decayed) {

  /** How a fresh network fills a parameter. */
  public enum Initialiser {
    /** Normal(0, 0.02), redrawn outside two standard deviations: linear weights, embeddings. */
    NORMAL_002,
    /** Normal(0, 1 / sqrt(fanIn)), redrawn outside two standard deviations: convolutions. */
    FAN_IN_NORMAL,
    /** All zeros: biases, LayerNorm offsets, the output bias. */
    ZEROS,
    /** All ones: LayerNorm gains. */
    ONES
  }

  public ParameterSpec {
    if (name == null || name.isEmpty()) {
      throw new IllegalArgumentException("parameter name must not be empty");
    }
    for (int d : shape) {
      if (d <= 0) {
        throw new IllegalArgumentException(
            "parameter '" + name + "' needs positive dimensions, found " + Arrays.toString(shape));
      }
    }
  }

  /** Number of values. */
  public int size() {
    int n = 1;
    for (int d : shape) {
      n *= d;
    }
    return n;
  }

  /** Product of every dimension but the first (the fan-in of a linear or conv weight). */
  public int fanIn() {
    int n = 1;
    for (int i = 1; i < shape.length; i++) {
      n *= shape[i];
    }
    return n;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ParameterSpec p
        && p.name.equals(name)
        && Arrays.equals(p.shape, shape)
        && p.initialiser == initialiser
        && p.decayed == decayed;
  }

  @Override
  public int hashCode() {
    return name.hashCode() * 31 + Arrays.hashCode(shape);
  }

  @Override
  public String toString() {
    return name + " " + Arrays.toString(shape);
  }
}
