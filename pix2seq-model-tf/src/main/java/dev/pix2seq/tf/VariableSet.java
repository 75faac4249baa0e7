package dev.pix2seq.tf;

import dev.pix2seq.api.checkpoint.NamedTensor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.AssignVariableOp;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.VarHandleOp;
import org.tensorflow.types.TFloat32;

/**
 * Named float32 resource variables living in one session (each with its own shared name: an
 * empty one would make every handle point at the same resource), with an assign-all and a read-all
 * operation each done in one {@code Session.run}. Each variable is read by a single {@code
 * ReadVariableOp} that every subgraph shares, so gradients are taken with respect to that read.
 * Graph construction is not thread-safe; {@link #assign} and {@link #read} are as thread-safe as
 * the session (assigning while another thread runs the model gives that run either value).
 */
final class VariableSet {

  private record Slot(
      String name, int[] shape, VarHandleOp handle, Operand<TFloat32> value,
      Placeholder<TFloat32> input, AssignVariableOp assign) {}

  private final Map<String, Slot> slots = new LinkedHashMap<>();

  /**
   * Creates one variable per entry of {@code shapes} (name to shape, in order) under the name
   * scope {@code scope}.
   */
  VariableSet(Ops tf, String scope, Map<String, int[]> shapes) {
    // one name scope for the set: withSubScope scans the whole graph, so never call it per
    // variable
    Ops scoped = tf.withSubScope(scope);
    int index = 0;
    for (Map.Entry<String, int[]> e : shapes.entrySet()) {
      int[] shape = e.getValue();
      long[] dims = new long[shape.length];
      for (int i = 0; i < dims.length; i++) {
        dims[i] = shape[i];
      }
      String prefix = "v" + index++;
      VarHandleOp handle = scoped.withName(prefix + "_handle").varHandleOp(TFloat32.class,
          Shape.of(dims), VarHandleOp.sharedName(scope + "/" + prefix),
          VarHandleOp.debugName(e.getKey()));
      Operand<TFloat32> value =
          scoped.withName(prefix + "_read").readVariableOp(handle, TFloat32.class);
      Placeholder<TFloat32> input = scoped.withName(prefix + "_input").placeholder(
          TFloat32.class, Placeholder.shape(Shape.of(dims)));
      AssignVariableOp assign = scoped.withName(prefix + "_assign").assignVariableOp(handle, input);
      slots.put(e.getKey(), new Slot(e.getKey(), shape, handle, value, input, assign));
    }
  }

  /** New operations, in {@code tf}'s graph, that set every variable to zeros (run as targets). */
  List<Op> zeroAssignments(Ops tf) {
    List<Op> out = new ArrayList<>();
    for (Slot slot : slots.values()) {
      out.add(tf.assignVariableOp(slot.handle,
          tf.fill(tf.constant(slot.shape), tf.constant(0f))));
    }
    return out;
  }

  /** The current value of variable {@code name} (a shared read). */
  Operand<TFloat32> value(String name) {
    return slot(name).value;
  }

  /** The resource handle of variable {@code name}. */
  Operand<?> handle(String name) {
    return slot(name).handle;
  }

  /**
   * Sets every variable to the values of the tensor of the same name, in one run.
   *
   * @throws IllegalArgumentException if a variable has no tensor or one of another shape
   */
  void assign(Session session, Map<String, NamedTensor> tensors) {
    List<TFloat32> inputs = new ArrayList<>(slots.size());
    try {
      Session.Runner runner = session.runner();
      for (Slot slot : slots.values()) {
        NamedTensor t = tensors.get(slot.name);
        if (t == null || !java.util.Arrays.equals(t.shape(), slot.shape)) {
          throw new IllegalArgumentException(
              "no tensor of shape " + java.util.Arrays.toString(slot.shape) + " for variable '"
                  + slot.name + "'");
        }
        TFloat32 input = TensorCopies.floats(t.data(), toLongs(slot.shape));
        inputs.add(input);
        runner.feed(slot.input, input).addTarget(slot.assign);
      }
      runner.run().close();
    } finally {
      inputs.forEach(TFloat32::close);
    }
  }

  /** Every variable's current value as named tensors, in creation order, read in one run. */
  List<NamedTensor> read(Session session) {
    Session.Runner runner = session.runner();
    for (Slot slot : slots.values()) {
      runner.fetch(slot.value);
    }
    List<NamedTensor> out = new ArrayList<>(slots.size());
    try (Result result = runner.run()) {
      int i = 0;
      for (Slot slot : slots.values()) {
        out.add(new NamedTensor(slot.name, slot.shape.clone(),
            TensorCopies.read((TFloat32) result.get(i++))));
      }
    }
    return out;
  }

  private Slot slot(String name) {
    Slot s = slots.get(name);
    if (s == null) {
      throw new IllegalArgumentException("no variable called '" + name + "'");
    }
    return s;
  }

  private static long[] toLongs(int[] shape) {
    long[] dims = new long[shape.length];
    for (int i = 0; i < dims.length; i++) {
      dims[i] = shape[i];
    }
    return dims;
  }
}
