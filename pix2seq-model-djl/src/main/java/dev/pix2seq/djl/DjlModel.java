package dev.pix2seq.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import dev.pix2seq.api.checkpoint.NamedTensor;
import dev.pix2seq.api.config.Device;
import dev.pix2seq.api.model.AbstractPix2seqModel;
import dev.pix2seq.api.model.DecodingSession;
import dev.pix2seq.api.model.ImageEncoder;
import dev.pix2seq.api.model.ImageFeatures;
import dev.pix2seq.api.model.SequenceDecoder;
import dev.pix2seq.djl.network.GradientMode;
import dev.pix2seq.djl.network.KeyValue;
import dev.pix2seq.djl.network.KvCache;
import dev.pix2seq.api.network.ParameterLayout;
import dev.pix2seq.djl.network.Parameters;
import dev.pix2seq.djl.network.Pass;
import dev.pix2seq.djl.network.Pix2seqNetwork;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The Pix2seq network on DJL's PyTorch engine: it is its own {@link ImageEncoder} and {@link
 * SequenceDecoder}. Owns one root NDManager; every features object and session lives in a child
 * manager, and every temporary array of a call in an {@link NDScope}, so memory stays flat.
 *
 * <p>Thread safety: {@code encode}, {@code open} and {@code logits} may run on several threads
 * at once (the weights are only read); each {@link ImageFeatures} and {@link DecodingSession}
 * belongs to one thread at a time; training must not run while other threads use the model.
 */
final class DjlModel extends AbstractPix2seqModel<DjlImageFeatures> {

  private final NDManager manager;
  private final Parameters parameters;
  private final Pix2seqNetwork network;

  private DjlModel(NDManager manager, Parameters parameters) {
    super(parameters.layout(), DjlImageFeatures.class, "DJL");
    this.manager = manager;
    this.parameters = parameters;
    this.network = new Pix2seqNetwork(parameters, manager);
  }

  /** The network of {@code layout} on {@code device} holding {@code values}. */
  static DjlModel of(ParameterLayout layout, Map<String, NamedTensor> values, Device device) {
    NDManager manager = DjlEngine.newManager(device);
    try {
      return new DjlModel(manager, Parameters.fromTensors(layout, values, manager));
    } catch (RuntimeException e) {
      manager.close();
      throw e;
    }
  }

  @Override
  protected List<NamedTensor> weightTensors() {
    return parameters.toTensors();
  }

  @Override
  protected ImageFeatures encodePixels(float[] pixels, int count) {
    int side = config().imageSize();
    NDManager owner = manager.newSubManager();
    try (GradientMode off = GradientMode.off();
        NDManager temp = manager.newSubManager();
        NDScope scope = new NDScope()) {
      NDArray input = temp.create(pixels, new Shape(count, 3, side, side));
      NDArray memory = network.encode(Pass.inference(temp), input);
      NDScope.unregister(memory);
      memory.attach(owner);
      return new DjlImageFeatures(this, owner, memory, count);
    } catch (RuntimeException e) {
      owner.close();
      throw e;
    }
  }

  @Override
  protected DecodingSession openRows(DjlImageFeatures f, int[] imageOfRow) {
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
  protected float[][][] teacherForced(
      DjlImageFeatures f, int[] imageOfRow, int[][] tokens, int length) {
    int rows = tokens.length;
    int vocabSize = vocabSize();
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

  NDManager manager() {
    return manager;
  }

  Parameters parameters() {
    return parameters;
  }

  Pix2seqNetwork network() {
    return network;
  }

  @Override
  protected void release() {
    manager.close();
  }
}
