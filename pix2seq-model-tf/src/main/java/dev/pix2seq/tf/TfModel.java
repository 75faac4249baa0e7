package dev.pix2seq.tf;

import dev.pix2seq.api.CheckpointException;
import dev.pix2seq.api.checkpoint.NamedTensor;
import dev.pix2seq.api.checkpoint.SafeTensors;
import dev.pix2seq.api.config.Device;
import dev.pix2seq.api.config.ModelConfig;
import dev.pix2seq.api.model.DecodingSession;
import dev.pix2seq.api.model.ImageEncoder;
import dev.pix2seq.api.model.ImageFeatures;
import dev.pix2seq.api.model.NetworkInputs;
import dev.pix2seq.api.model.Pix2seqModel;
import dev.pix2seq.api.model.SequenceDecoder;
import dev.pix2seq.api.value.ImageTensor;
import dev.pix2seq.tf.network.InitialWeights;
import dev.pix2seq.tf.network.NetworkGraph;
import dev.pix2seq.api.network.ParameterLayout;
import dev.pix2seq.api.network.ParameterSpec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.tensorflow.Graph;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.op.Ops;
import org.tensorflow.proto.ConfigProto;
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
final class TfModel implements Pix2seqModel, ImageEncoder, SequenceDecoder {

  /** File name of the weights inside a checkpoint directory. */
  static final String WEIGHTS_FILE = "weights.safetensors";

  /** Metadata key and value identifying a weights file. */
  static final String FORMAT_KEY = "pix2seq.format";

  static final String FORMAT_VALUE = "pix2seq-weights-v1";

  private final ModelConfig config;
  private final int vocabSize;
  private final ParameterLayout layout;
  private final Graph graph;
  private final Ops tf;
  private final Session session;
  private final VariableSet weights;
  private final NetworkGraph network;
  private final InferenceGraph inference;
  private TrainingGraph training;
  private volatile boolean closed;

  private TfModel(ParameterLayout layout, Device device, Map<String, NamedTensor> values) {
    this.layout = layout;
    this.config = layout.config();
    this.vocabSize = layout.vocabSize();
    ConfigProto sessionConfig = TfDevices.sessionConfig(device);
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
      weights.assign(session, values);
    } catch (RuntimeException e) {
      session.close();
      graph.close();
      throw e;
    }
  }

  /** A fresh network with weights drawn from {@code seed}. */
  static TfModel create(ModelConfig config, int vocabSize, Device device, long seed) {
    ParameterLayout layout = ParameterLayout.of(config, vocabSize);
    Map<String, NamedTensor> values = new LinkedHashMap<>();
    for (NamedTensor t : InitialWeights.draw(layout, seed)) {
      values.put(t.name(), t);
    }
    return new TfModel(layout, device, values);
  }

  /** The network stored in {@code dir/weights.safetensors}. */
  static TfModel load(Path dir, ModelConfig config, int vocabSize, Device device)
      throws CheckpointException {
    ParameterLayout layout = ParameterLayout.of(config, vocabSize);
    Map<String, int[]> expected = new LinkedHashMap<>();
    for (ParameterSpec spec : layout.specs()) {
      expected.put(spec.name(), spec.shape());
    }
    return new TfModel(layout, device, readExactly(dir.resolve(WEIGHTS_FILE), expected));
  }

  /**
   * Reads {@code file} and checks that it holds exactly the tensors of {@code expected} (name to
   * shape), each with finite values.
   *
   * @throws CheckpointException naming the file and the first missing, misshapen or non-finite
   *     tensor, or every tensor the file holds beyond {@code expected}
   */
  static Map<String, NamedTensor> readExactly(Path file, Map<String, int[]> expected)
      throws CheckpointException {
    SafeTensors.Contents contents = SafeTensors.read(file);
    Map<String, NamedTensor> out = new LinkedHashMap<>();
    for (Map.Entry<String, int[]> e : expected.entrySet()) {
      NamedTensor t = contents.require(file, e.getKey(), e.getValue());
      float[] data = t.data();
      for (int i = 0; i < data.length; i++) {
        if (!Float.isFinite(data[i])) {
          throw new CheckpointException(
              file + ": tensor '" + t.name() + "' holds a non-finite value (" + data[i]
                  + ") at flat index " + i);
        }
      }
      out.put(e.getKey(), t);
    }
    Set<String> extra = new TreeSet<>(contents.tensors().keySet());
    extra.removeAll(expected.keySet());
    if (!extra.isEmpty()) {
      List<String> list = new ArrayList<>(extra);
      String names = list.size() <= 10
          ? list.toString()
          : list.subList(0, 10) + " and " + (list.size() - 10) + " more";
      throw new CheckpointException(
          file + ": holds " + extra.size() + " tensor(s) this architecture does not have: "
              + names + " (saved for another model config or vocabulary?)");
    }
    return out;
  }

  @Override
  public ModelConfig config() {
    return config;
  }

  @Override
  public int vocabSize() {
    return vocabSize;
  }

  @Override
  public ImageEncoder encoder() {
    ensureOpen();
    return this;
  }

  @Override
  public SequenceDecoder decoder() {
    ensureOpen();
    return this;
  }

  @Override
  public int maxSequenceLength() {
    return config.maxSequenceLength();
  }

  @Override
  public void saveWeights(Path dir) throws CheckpointException {
    ensureOpen();
    SafeTensors.write(dir.resolve(WEIGHTS_FILE), weights.read(session),
        Map.of(FORMAT_KEY, FORMAT_VALUE));
  }

  /** Every parameter's current value, in checkpoint order. */
  List<NamedTensor> weightValues() {
    ensureOpen();
    return weights.read(session);
  }

  @Override
  public ImageFeatures encode(List<ImageTensor> images) {
    ensureOpen();
    if (images.isEmpty()) {
      throw new IllegalArgumentException("encode needs at least one image");
    }
    int side = config.imageSize();
    try (TFloat32 input = TensorCopies.floats(
        NetworkInputs.pixels(images, config), images.size(), 3, side, side)) {
      Session.Runner runner = session.runner().feed(inference.encode.images(), input)
          .fetch(inference.encode.memory());
      inference.encode.cross().forEach(runner::fetch);
      return new TfImageFeatures(this, runner.run(), images.size());
    }
  }

  @Override
  public DecodingSession open(ImageFeatures features, int[] imageOfRow) {
    ensureOpen();
    TfImageFeatures f = own(features);
    checkImageRows(f, imageOfRow);
    List<TFloat32> cross = new ArrayList<>();
    for (int i = 0; i < 2 * config.decoderLayers(); i++) {
      cross.add(f.cross(i));
    }
    Result rows = gather(inference.gatherCross, imageOfRow, cross);
    return new TfDecodingSession(this, new SharedResult(rows, 1), imageOfRow.length);
  }

  @Override
  public float[][][] logits(ImageFeatures features, int[] imageOfRow, int[][] tokens) {
    ensureOpen();
    TfImageFeatures f = own(features);
    checkImageRows(f, imageOfRow);
    if (tokens.length != imageOfRow.length) {
      throw new IllegalArgumentException(
          "logits needs one token row per image row (" + imageOfRow.length + "), found "
              + tokens.length);
    }
    int length = checkTokens(tokens, 0);
    int rows = tokens.length;
    InferenceGraph.Logits g = inference.logits;
    try (TInt32 index = TensorCopies.ints(imageOfRow, rows);
        TInt32 input = TensorCopies.rows(tokens, length);
        Result result = session.runner().feed(g.memory(), f.memory()).feed(g.imageOfRow(), index)
            .feed(g.tokens(), input).fetch(g.logits()).run()) {
      float[][] flat = TensorCopies.readRows((TFloat32) result.get(0), rows * length, vocabSize);
      float[][][] out = new float[rows][length][];
      for (int r = 0; r < rows; r++) {
        for (int t = 0; t < length; t++) {
          out[r][t] = flat[r * length + t];
        }
      }
      return out;
    }
  }

  /** One cached decoding step: the result holds the logits, then the grown keys and values. */
  Result step(TInt32 tokens, List<TFloat32> past, List<TFloat32> cross) {
    InferenceGraph.Step g = inference.step;
    Session.Runner runner = session.runner().feed(g.tokens(), tokens);
    for (int i = 0; i < past.size(); i++) {
      runner.feed(g.past().get(i), past.get(i));
      runner.feed(g.cross().get(i), cross.get(i));
    }
    runner.fetch(g.logits());
    g.grown().forEach(runner::fetch);
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

  /** {@link NetworkInputs#tokenRowLength} for this model's vocabulary and config. */
  int checkTokens(int[][] tokens, int cached) {
    return NetworkInputs.tokenRowLength(tokens, cached, vocabSize, config);
  }

  private TfImageFeatures own(ImageFeatures features) {
    if (!(features instanceof TfImageFeatures f) || f.model() != this) {
      throw new IllegalArgumentException("image features were not encoded by this model");
    }
    f.ensureOpen();
    return f;
  }

  private static void checkImageRows(TfImageFeatures f, int[] imageOfRow) {
    if (imageOfRow.length == 0) {
      throw new IllegalArgumentException("imageOfRow must name at least one row");
    }
    for (int r = 0; r < imageOfRow.length; r++) {
      if (imageOfRow[r] < 0 || imageOfRow[r] >= f.batchSize()) {
        throw new IllegalArgumentException(
            "imageOfRow[" + r + "] = " + imageOfRow[r] + " is outside the " + f.batchSize()
                + " encoded images");
      }
    }
  }

  ParameterLayout layout() {
    return layout;
  }

  Session session() {
    return session;
  }

  VariableSet weights() {
    return weights;
  }

  void ensureOpen() {
    if (closed) {
      throw new IllegalStateException("the TensorFlow model has been closed");
    }
  }

  boolean isClosed() {
    return closed;
  }

  @Override
  public synchronized void close() {
    if (!closed) {
      closed = true;
      session.close();
      graph.close();
    }
  }
}
