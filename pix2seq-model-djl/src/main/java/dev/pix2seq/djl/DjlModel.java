package dev.pix2seq.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
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
import dev.pix2seq.djl.network.GradientMode;
import dev.pix2seq.djl.network.KeyValue;
import dev.pix2seq.djl.network.KvCache;
import dev.pix2seq.api.network.ParameterLayout;
import dev.pix2seq.api.network.ParameterSpec;
import dev.pix2seq.djl.network.Parameters;
import dev.pix2seq.djl.network.Pass;
import dev.pix2seq.djl.network.Pix2seqNetwork;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The Pix2seq network on DJL's PyTorch engine: it is its own {@link ImageEncoder} and {@link
 * SequenceDecoder}. Owns one root NDManager; every features object and session lives in a child
 * manager, and every temporary array of a call in an {@link NDScope}, so memory stays flat.
 *
 * <p>Thread safety: {@code encode}, {@code open} and {@code logits} may run on several threads
 * at once (the weights are only read); each {@link ImageFeatures} and {@link DecodingSession}
 * belongs to one thread at a time; training must not run while other threads use the model.
 */
final class DjlModel implements Pix2seqModel, ImageEncoder, SequenceDecoder {

  /** File name of the weights inside a checkpoint directory. */
  static final String WEIGHTS_FILE = "weights.safetensors";

  /** Metadata key and value identifying a weights file. */
  static final String FORMAT_KEY = "pix2seq.format";

  static final String FORMAT_VALUE = "pix2seq-weights-v1";

  private final ModelConfig config;
  private final int vocabSize;
  private final NDManager manager;
  private final Parameters parameters;
  private final Pix2seqNetwork network;
  private volatile boolean closed;

  private DjlModel(ModelConfig config, int vocabSize, NDManager manager, Parameters parameters) {
    this.config = config;
    this.vocabSize = vocabSize;
    this.manager = manager;
    this.parameters = parameters;
    this.network = new Pix2seqNetwork(parameters, manager);
  }

  /** A fresh network with weights drawn from {@code seed}. */
  static DjlModel create(ModelConfig config, int vocabSize, Device device, long seed) {
    ParameterLayout layout = ParameterLayout.of(config, vocabSize);
    NDManager manager = DjlEngine.newManager(device);
    try {
      return new DjlModel(config, vocabSize, manager, Parameters.initialise(layout, manager, seed));
    } catch (RuntimeException e) {
      manager.close();
      throw e;
    }
  }

  /** The network stored in {@code dir/weights.safetensors}. */
  static DjlModel load(Path dir, ModelConfig config, int vocabSize, Device device)
      throws CheckpointException {
    ParameterLayout layout = ParameterLayout.of(config, vocabSize);
    Path file = dir.resolve(WEIGHTS_FILE);
    Map<String, int[]> expected = new LinkedHashMap<>();
    for (ParameterSpec spec : layout.specs()) {
      expected.put(spec.name(), spec.shape());
    }
    Map<String, NamedTensor> tensors = readExactly(file, expected);
    NDManager manager = DjlEngine.newManager(device);
    try {
      return new DjlModel(
          config, vocabSize, manager, Parameters.fromTensors(layout, tensors, manager));
    } catch (RuntimeException e) {
      manager.close();
      throw e;
    }
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
      throw new CheckpointException(
          file + ": holds " + extra.size() + " tensor(s) this architecture does not have: "
              + abbreviate(extra) + " (saved for another model config or vocabulary?)");
    }
    return out;
  }

  private static String abbreviate(Set<String> names) {
    List<String> list = new ArrayList<>(names);
    return list.size() <= 10
        ? list.toString()
        : list.subList(0, 10) + " and " + (list.size() - 10) + " more";
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
    SafeTensors.write(
        dir.resolve(WEIGHTS_FILE), parameters.toTensors(), Map.of(FORMAT_KEY, FORMAT_VALUE));
  }

  @Override
  public ImageFeatures encode(List<ImageTensor> images) {
    ensureOpen();
    if (images.isEmpty()) {
      throw new IllegalArgumentException("encode needs at least one image");
    }
    int side = config.imageSize();
    float[] pixels = NetworkInputs.pixels(images, config);
    NDManager owner = manager.newSubManager();
    try (GradientMode off = GradientMode.off();
        NDManager temp = manager.newSubManager();
        NDScope scope = new NDScope()) {
      NDArray input = temp.create(pixels, new Shape(images.size(), 3, side, side));
      NDArray memory = network.encode(Pass.inference(temp), input);
      NDScope.unregister(memory);
      memory.attach(owner);
      return new DjlImageFeatures(this, owner, memory, images.size());
    } catch (RuntimeException e) {
      owner.close();
      throw e;
    }
  }

  @Override
  public DecodingSession open(ImageFeatures features, int[] imageOfRow) {
    ensureOpen();
    DjlImageFeatures f = own(features);
    checkImageRows(f, imageOfRow);
    List<KeyValue> perImage = f.crossKeysValues(network);
    NDManager owner = manager.newSubManager();
    try (GradientMode off = GradientMode.off(); NDScope scope = new NDScope()) {
      NDArray index = owner.create(toLongs(imageOfRow));
      List<KeyValue> cross = new ArrayList<>(perImage.size());
      for (KeyValue kv : perImage) {
        cross.add(KvCache.gather(kv, index, owner));
      }
      return new DjlDecodingSession(this, network, owner, cross, imageOfRow.length);
    } catch (RuntimeException e) {
      owner.close();
      throw e;
    }
  }

  @Override
  public float[][][] logits(ImageFeatures features, int[] imageOfRow, int[][] tokens) {
    ensureOpen();
    DjlImageFeatures f = own(features);
    checkImageRows(f, imageOfRow);
    if (tokens.length != imageOfRow.length) {
      throw new IllegalArgumentException(
          "logits needs one token row per image row (" + imageOfRow.length + "), found "
              + tokens.length);
    }
    int length = checkTokens(tokens, 0);
    int rows = tokens.length;
    try (GradientMode off = GradientMode.off();
        NDManager temp = manager.newSubManager();
        NDScope scope = new NDScope()) {
      NDArray index = temp.create(toLongs(imageOfRow));
      NDArray memory = f.memory().get(index);
      List<KeyValue> cross = network.crossKeysValues(memory);
      NDArray input = temp.create(flatten(tokens, length), new Shape(rows, length));
      NDArray hidden = network.decode(Pass.inference(temp), input, 0, null, cross);
      float[] flat = network.logits(hidden).toFloatArray();
      float[][][] out = new float[rows][length][];
      for (int r = 0; r < rows; r++) {
        for (int t = 0; t < length; t++) {
          int from = (r * length + t) * vocabSize;
          out[r][t] = java.util.Arrays.copyOfRange(flat, from, from + vocabSize);
        }
      }
      return out;
    }
  }

  /** {@link NetworkInputs#tokenRowLength} for this model's vocabulary and config. */
  int checkTokens(int[][] tokens, int cached) {
    return NetworkInputs.tokenRowLength(tokens, cached, vocabSize, config);
  }

  static long[] flatten(int[][] tokens, int length) {
    long[] flat = new long[tokens.length * length];
    for (int r = 0; r < tokens.length; r++) {
      for (int t = 0; t < length; t++) {
        flat[r * length + t] = tokens[r][t];
      }
    }
    return flat;
  }

  static long[] toLongs(int[] values) {
    long[] out = new long[values.length];
    for (int i = 0; i < values.length; i++) {
      out[i] = values[i];
    }
    return out;
  }

  private DjlImageFeatures own(ImageFeatures features) {
    if (!(features instanceof DjlImageFeatures f) || f.model() != this) {
      throw new IllegalArgumentException("image features were not encoded by this model");
    }
    f.ensureOpen();
    return f;
  }

  private static void checkImageRows(DjlImageFeatures f, int[] imageOfRow) {
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

  NDManager manager() {
    return manager;
  }

  Parameters parameters() {
    return parameters;
  }

  Pix2seqNetwork network() {
    return network;
  }

  void ensureOpen() {
    if (closed) {
      throw new IllegalStateException("the DJL model has been closed");
    }
  }

  boolean isClosed() {
    return closed;
  }

  @Override
  public void close() {
    if (!closed) {
      closed = true;
      manager.close();
    }
  }
}
