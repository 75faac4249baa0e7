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
import java.util.Optional;

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

  /** The array of parameter {@code name}, which the layout must have. */
  public NDArray get(String name) {
    return Optional.ofNullable(arrays.get(name)).orElseThrow(
        () -> new IllegalArgumentException("no parameter called '" + name + "'"));
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
}
