package dev.pix2seq.tf;

import dev.pix2seq.api.checkpoint.NamedTensor;
import dev.pix2seq.api.config.Device;
import dev.pix2seq.api.model.AbstractPix2seqModel;
import dev.pix2seq.api.model.DecodingSession;
import dev.pix2seq.api.model.ImageEncoder;
import dev.pix2seq.api.model.ImageFeatures;
import dev.pix2seq.api.model.SequenceDecoder;
import dev.pix2seq.tf.network.NetworkGraph;
import dev.pix2seq.api.network.ParameterLayout;
import dev.pix2seq.api.network.ParameterSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.tensorflow.Graph;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.op.Ops;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.proto.RunOptions;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * The Pix2seq network in one TensorFlow graph and session: it is its own {@link ImageEncoder}
 * and {@link SequenceDecoder}. The weights are resource variables of the session; the inference
 * subgraphs ({@link InferenceGraph}) are built once, so every call is one {@code Session.run}.
 *
 * <p>Thread safety: {@code encode}, {@code open} and {@code logits} may run on several threads at
 * once (sessions are thread-safe and the weights are only read); each {@link ImageFeatures} and
 * {@link DecodingSession} belongs to one thread at a time; creating a trainer extends the graph
 * and a training step writes the weights, so neither may overlap other use of the model.
 */
final class TfModel extends AbstractPix2seqModel<TfImageFeatures> {

  /** Options of decoding steps and row gathers; null for TensorFlow's defaults. */
  private final RunOptions stepOptions;
  private final ConfigProto sessionConfig;
  /** Whether decoding steps run on {@link FrozenSteps} (else on the variables). */
  private final boolean freezesSteps;
  /** Counts the changes of the weights: every assignment and training step. */
  private final AtomicLong weightsVersion = new AtomicLong();
  /** The frozen steps of the latest weights seen by a decoding session; guarded by this. */
  private FrozenSteps frozen;
  private final Graph graph;
  private final Ops tf;
  private final Session session;
  private final VariableSet weights;
  private final NetworkGraph network;
  private final InferenceGraph inference;
  private TrainingGraph training;

  private TfModel(ParameterLayout layout, Device device, Map<String, NamedTensor> values) {
    super(layout, TfImageFeatures.class, "TensorFlow");
    NativeLogs.quiet();
    this.sessionConfig = TfDevices.sessionConfig(device, layout.config());
    this.stepOptions = TfDevices.stepsInCallerThread() ? TfDevices.IN_CALLER_THREAD : null;
    this.freezesSteps = TfDevices.frozenSteps();
    this.graph = new Graph();
    try {
      this.tf = Ops.create(graph);
      Map<String, int[]> shapes = new LinkedHashMap<>();
      for (ParameterSpec spec : layout.specs()) {
        shapes.put(spec.name(), spec.shape());
      }
      this.weights = new VariableSet(tf, "weights", shapes);
      this.network = new NetworkGraph(tf, layout, weights::value);
      this.inference = new InferenceGraph(tf, network);
      this.session = new Session(graph, sessionConfig);
    } catch (RuntimeException e) {
      graph.close();
      throw e;
    }
    try {
      assignWeights(values);
    } catch (RuntimeException e) {
      session.close();
      graph.close();
      throw e;
    }
  }

  /** The network of {@code layout} on {@code device} holding {@code values}. */
  static TfModel of(ParameterLayout layout, Map<String, NamedTensor> values, Device device) {
    return new TfModel(layout, device, values);
  }

  /** Every parameter's current value, in checkpoint order. */
  List<NamedTensor> weightValues() {
    ensureOpen();
    return weightTensors();
  }

  @Override
  protected List<NamedTensor> weightTensors() {
    return weights.read(session);
  }

  @Override
  protected ImageFeatures encodePixels(float[] pixels, int count) {
    int side = config().imageSize();
    try (TFloat32 input = TensorCopies.floats(pixels, count, 3, side, side)) {
      Session.Runner runner = session.runner().feed(inference.encode.images(), input)
          .fetch(inference.encode.memory());
      inference.encode.cross().forEach(runner::fetch);
      return new TfImageFeatures(this, runner.run(), count);
    }
  }

  @Override
  protected DecodingSession openRows(TfImageFeatures f, int[] imageOfRow) {
    List<TFloat32> cross = new ArrayList<>();
    for (int i = 0; i < 2 * config().decoderLayers(); i++) {
      cross.add(f.cross(i));
    }
    FrozenSteps steps = holdFrozenSteps();
    try {
      Result rows = gather(inference.gatherCross, imageOfRow, cross);
      return new TfDecodingSession(this, steps, new SharedResult(rows, 1), imageOfRow.length);
    } catch (RuntimeException e) {
      if (steps != null) {
        steps.release();
      }
      throw e;
    }
  }

  @Override
  protected float[][][] teacherForced(
      TfImageFeatures f, int[] imageOfRow, int[][] tokens, int length) {
    int rows = tokens.length;
    InferenceGraph.Logits g = inference.logits;
    try (TInt32 index = TensorCopies.ints(imageOfRow, rows);
        TInt32 input = TensorCopies.rows(tokens, length);
        Result result = session.runner().feed(g.memory(), f.memory()).feed(g.imageOfRow(), index)
            .feed(g.tokens(), input).fetch(g.logits()).run()) {
      float[][] flat =
          TensorCopies.readRows((TFloat32) result.get(0), rows * length, vocabSize());
      float[][][] out = new float[rows][length][];
      for (int r = 0; r < rows; r++) {
        for (int t = 0; t < length; t++) {
          out[r][t] = flat[r * length + t];
        }
      }
      return out;
    }
  }

  /**
   * The frozen decoding steps of the current weights, held for the caller (who releases them),
   * or null when steps run on the variables ({@value TfDevices#FROZEN_STEPS} false). Built on
   * the first call after the weights changed.
   */
  synchronized FrozenSteps holdFrozenSteps() {
    ensureOpen();
    if (!freezesSteps) {
      return null;
    }
    long version = weightsVersion.get();
    if (frozen == null || frozen.version() != version) {
      FrozenSteps next =
          FrozenSteps.build(layout(), session, weights, sessionConfig, version);
      if (frozen != null) {
        frozen.release();
      }
      frozen = next;
    }
    frozen.retain();
    return frozen;
  }

  /**
   * Records that the weights changed: later decoding sessions freeze the new values, and the
   * model gives up its stale copy (sessions still open keep theirs).
   */
  synchronized void weightsChanged() {
    weightsVersion.incrementAndGet();
    if (frozen != null) {
      frozen.release();
      frozen = null;
    }
  }

  /**
   * One cached decoding step, on {@code frozen} or (when null) on the variables: the result
   * holds the logits, then the grown keys and values.
   */
  Result step(FrozenSteps frozen, TInt32 tokens, List<TFloat32> past, List<TFloat32> cross,
      boolean oneToken) {
    InferenceGraph.Step g = (frozen == null ? inference.steps : frozen.steps())
        .forTokens(oneToken);
    Session.Runner runner = (frozen == null ? session : frozen.session()).runner()
        .feed(g.tokens(), tokens);
    for (int i = 0; i < past.size(); i++) {
      runner.feed(g.past().get(i), past.get(i));
      runner.feed(g.cross().get(i), cross.get(i));
    }
    runner.fetch(g.logits());
    g.grown().forEach(runner::fetch);
    if (stepOptions != null) {
      runner.setOptions(stepOptions);
    }
    return runner.run();
  }

  /** Rows {@code index} of each of {@code tensors}, in one run; the caller closes the result. */
  Result gather(InferenceGraph.Gather g, int[] index, List<TFloat32> tensors) {
    try (TInt32 rows = TensorCopies.ints(index, index.length)) {
      Session.Runner runner = session.runner().feed(g.index(), rows);
      for (int i = 0; i < tensors.size(); i++) {
        runner.feed(g.inputs().get(i), tensors.get(i));
        runner.fetch(g.outputs().get(i));
      }
      if (stepOptions != null) {
        runner.setOptions(stepOptions);
      }
      return runner.run();
    }
  }

  InferenceGraph inference() {
    return inference;
  }

  /** The training step subgraph, added to the graph on first use. */
  synchronized TrainingGraph training() {
    ensureOpen();
    if (training == null) {
      training = new TrainingGraph(graph, tf, weights, network);
    }
    return training;
  }

  Session session() {
    return session;
  }

  /** Sets every weight to its value in {@code values}, which holds each parameter. */
  void assignWeights(Map<String, NamedTensor> values) {
    try {
      weights.assign(session, values);
    } finally {
      weightsChanged();
    }
  }

  @Override
  protected void release() {
    synchronized (this) {
      if (frozen != null) {
        frozen.release();
        frozen = null;
      }
    }
    session.close();
    graph.close();
  }
}
