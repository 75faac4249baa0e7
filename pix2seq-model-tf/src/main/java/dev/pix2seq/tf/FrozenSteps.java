package dev.pix2seq.tf;

import dev.pix2seq.api.network.ParameterLayout;
import dev.pix2seq.tf.network.NetworkGraph;
import java.util.HashMap;
import java.util.Map;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.op.Ops;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.types.TFloat32;

/**
 * The two decoding step subgraphs in a graph and session of their own, with the weights they read
 * as constants holding the values of one moment ({@link #version}). A step over variables pays a
 * handle lookup and a read per weight on every run (two of every five operations of a tiny
 * step); constants cost nothing per run and let oneDNN keep its packed copy of each matrix.
 * Holds only the weights a step reads (not the encoder's, nor the cross-attention key/value
 * projections).
 *
 * <p>Shared by the model and every decoding session opened on it while its weights did not
 * change; closed when the last holder {@linkplain #release releases} it. Thread-safe.
 */
final class FrozenSteps {

  private final long version;
  private final Graph graph;
  private final Session session;
  private final InferenceGraph.Steps steps;
  private int holders = 1;

  private FrozenSteps(long version, Graph graph, Session session, InferenceGraph.Steps steps) {
    this.version = version;
    this.graph = graph;
    this.session = session;
    this.steps = steps;
  }

  /**
   * Step subgraphs over {@code layout}'s network whose weights are the current values of {@code
   * weights} in {@code source}; the caller holds the result.
   *
   * @param version the weights' version, read before the first weight
   */
  static FrozenSteps build(ParameterLayout layout, Session source, VariableSet weights,
      ConfigProto sessionConfig, long version) {
    Graph graph = new Graph();
    try {
      Ops tf = Ops.create(graph);
      Map<String, Operand<TFloat32>> constants = new HashMap<>();
      Ops scoped = tf.withSubScope("weights");
      NetworkGraph network = new NetworkGraph(tf, layout, name -> constants.computeIfAbsent(
          name, n -> {
            try (Result value = source.runner().fetch(weights.value(n)).run()) {
              return scoped.constantOf((TFloat32) value.get(0));
            }
          }));
      InferenceGraph.Steps steps = InferenceGraph.steps(tf, network);
      return new FrozenSteps(version, graph, new Session(graph, sessionConfig), steps);
    } catch (RuntimeException e) {
      graph.close();
      throw e;
    }
  }

  /** The version of the weights this holds. */
  long version() {
    return version;
  }

  /** The session that runs {@link #steps}. */
  Session session() {
    return session;
  }

  InferenceGraph.Steps steps() {
    return steps;
  }

  /** Whether the last holder released this. */
  synchronized boolean isClosed() {
    return holders == 0;
  }

  /** Adds a holder. */
  synchronized void retain() {
    if (holders == 0) {
      throw new IllegalStateException("the frozen decoding steps have been closed");
    }
    holders++;
  }

  /** Gives up one holder's claim; the last one closes the session and graph. */
  synchronized void release() {
    if (holders == 0) {
      throw new IllegalStateException("the frozen decoding steps have been closed");
    }
    if (--holders == 0) {
      session.close();
      graph.close();
    }
  }
}
