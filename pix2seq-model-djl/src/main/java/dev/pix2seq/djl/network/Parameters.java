package dev.pix2seq.djl.network;

import dev.pix2seq.api.network.ParameterLayout;
import dev.pix2seq.api.network.ParameterSpec;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.pix2seq.api.checkpoint.NamedTensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The network's weights as NDArrays owned by one manager, in the order of a {@link
 * ParameterLayout}. Not thread-safe for writes; the arrays are updated in place by training.
 */
public final class Parameters {

  private final ParameterLayout layout;
  private final Map<String, NDArray> arrays;

  private Parameters(ParameterLayout layout, Map<String, NDArray> arrays) {
    this.layout = layout;
    this.arrays = Collections.unmodifiableMap(arrays);
  }

  /**
   * Fresh weights drawn from {@code seed}. Each parameter has its own generator, seeded from
   * {@code seed} and its name, so adding a parameter leaves the others' values unchanged.
   */
  public static Parameters initialise(ParameterLayout layout, NDManager manager, long seed) {
    Map<String, NDArray> arrays = new LinkedHashMap<>();
    for (ParameterSpec spec : layout.specs()) {
      float[] values = new float[spec.size()];
      switch (spec.initialiser()) {
        case ONES -> Arrays.fill(values, 1f);
        case ZEROS -> { }
        case NORMAL_002 -> truncatedNormal(values, 0.02, generator(seed, spec.name()));
        case FAN_IN_NORMAL ->
            truncatedNormal(values, 1.0 / Math.sqrt(spec.fanIn()), generator(seed, spec.name()));
      }
      arrays.put(spec.name(), create(manager, spec, values));
    }
    return new Parameters(layout, arrays);
  }

  /**
   * Weights copied from {@code tensors}, which must hold every parameter of {@code layout} with
   * its shape (the caller checks names and shapes; this only copies).
   */
  public static Parameters fromTensors(
      ParameterLayout layout, Map<String, NamedTensor> tensors, NDManager manager) {
    Map<String, NDArray> arrays = new LinkedHashMap<>();
    for (ParameterSpec spec : layout.specs()) {
      NamedTensor t = tensors.get(spec.name());
      if (t == null || !Arrays.equals(t.shape(), spec.shape())) {
        throw new IllegalArgumentException("tensor for '" + spec + "' is missing or misshapen");
      }
      arrays.put(spec.name(), create(manager, spec, t.data()));
    }
    return new Parameters(layout, arrays);
  }

  public ParameterLayout layout() {
    return layout;
  }

  /** The array of parameter {@code name}. */
  public NDArray get(String name) {
    NDArray a = arrays.get(name);
    if (a == null) {
      throw new IllegalArgumentException("no parameter called '" + name + "'");
    }
    return a;
  }

  /** Every parameter by name, in layout order. */
  public Map<String, NDArray> arrays() {
    return arrays;
  }

  /** Copies of every parameter as named float32 tensors, in layout order. */
  public List<NamedTensor> toTensors() {
    List<NamedTensor> out = new ArrayList<>(arrays.size());
    for (ParameterSpec spec : layout.specs()) {
      out.add(new NamedTensor(spec.name(), spec.shape(), arrays.get(spec.name()).toFloatArray()));
    }
    return out;
  }

  private static NDArray create(NDManager manager, ParameterSpec spec, float[] values) {
    long[] dims = new long[spec.shape().length];
    for (int i = 0; i < dims.length; i++) {
      dims[i] = spec.shape()[i];
    }
    NDArray a = manager.create(values, new Shape(dims));
    a.setName(spec.name());
    return a;
  }

  private static Random generator(long seed, String name) {
    long h = seed * 0x9E3779B97F4A7C15L + name.hashCode();
    h ^= h >>> 31;
    h *= 0xBF58476D1CE4E5B9L;
    h ^= h >>> 29;
    return new Random(h);
  }

  private static void truncatedNormal(float[] values, double std, Random random) {
    for (int i = 0; i < values.length; i++) {
      double z;
      do {
        z = random.nextGaussian();
      } while (Math.abs(z) > 2);
      values[i] = (float) (z * std);
    }
  }
}
