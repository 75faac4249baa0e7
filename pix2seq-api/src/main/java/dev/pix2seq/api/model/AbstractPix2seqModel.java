package dev.pix2seq.api.model;

import dev.pix2seq.api.CheckpointException;
import dev.pix2seq.api.checkpoint.NamedTensor;
import dev.pix2seq.api.checkpoint.SafeTensors;
import dev.pix2seq.api.config.ModelConfig;
import dev.pix2seq.api.network.ParameterLayout;
import dev.pix2seq.api.network.ParameterSpec;
import dev.pix2seq.api.value.ImageTensor;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * The backend-independent part of a Pix2seq network, which is its own {@link ImageEncoder} and
 * {@link SequenceDecoder}: every argument check, the weights file's name and format, its exact
 * reading, and the closed state. A backend extends it with its tensor work only: {@link
 * #encodePixels}, {@link #openRows}, {@link #teacherForced}, {@link #weightTensors} and {@link
 * #release}, each called with arguments already checked.
 *
 * @param <F> the backend's image features
 */
public abstract class AbstractPix2seqModel<F extends AbstractImageFeatures>
    implements Pix2seqModel, ImageEncoder, SequenceDecoder {

  /** File name of the weights inside a checkpoint directory. */
  public static final String WEIGHTS_FILE = "weights.safetensors";

  /** Metadata key identifying a weights file. */
  public static final String FORMAT_KEY = "pix2seq.format";

  /** Metadata value identifying a weights file. */
  public static final String FORMAT_VALUE = "pix2seq-weights-v1";

  private final ParameterLayout layout;
  private final Class<F> featuresType;
  private final String engine;
  private volatile boolean closed;

  /**
   * @param layout the network's parameters, which also give its config and vocabulary size
   * @param engine names the engine in messages, e.g. "DJL" or "TensorFlow"
   */
  protected AbstractPix2seqModel(ParameterLayout layout, Class<F> featuresType, String engine) {
    this.layout = Objects.requireNonNull(layout, "layout");
    this.featuresType = featuresType;
    this.engine = engine;
  }

  /**
   * The tensors of {@code dir/}{@value #WEIGHTS_FILE}: exactly the parameters of {@code layout},
   * as {@link #readExactly} reads them.
   *
   * @throws CheckpointException as {@link #readExactly}
   */
  public static Map<String, NamedTensor> readWeights(Path dir, ParameterLayout layout)
      throws CheckpointException {
    Map<String, int[]> expected = new LinkedHashMap<>();
    for (ParameterSpec spec : layout.specs()) {
      expected.put(spec.name(), spec.shape());
    }
    return readExactly(dir.resolve(WEIGHTS_FILE), expected);
  }

  /**
   * Reads {@code file} and checks that it holds exactly the tensors of {@code expected} (name to
   * shape), each with finite values; in the order of {@code expected}.
   *
   * @throws CheckpointException naming the file and the first missing, misshapen or non-finite
   *     tensor, or every tensor the file holds beyond {@code expected}
   */
  public static Map<String, NamedTensor> readExactly(Path file, Map<String, int[]> expected)
      throws CheckpointException {
    SafeTensors.Contents contents = SafeTensors.read(file);
    Map<String, NamedTensor> out = new LinkedHashMap<>();
    for (Map.Entry<String, int[]> e : expected.entrySet()) {
      NamedTensor t = contents.require(file, e.getKey(), e.getValue());
      float[] data = t.data();
      for (int i = 0; i < data.length; i++) {
        if (!Float.isFinite(data[i])) {
          throw new CheckpointException(file + ": tensor '" + t.name()
              + "' holds a non-finite value (" + data[i] + ") at flat index " + i);
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
      throw new CheckpointException(file + ": holds " + extra.size() + " tensor(s) this "
          + "architecture does not have: " + names
          + " (saved for another model config or vocabulary?)");
    }
    return out;
  }

  @Override
  public final ModelConfig config() {
    return layout.config();
  }

  @Override
  public final int vocabSize() {
    return layout.vocabSize();
  }

  /** The names, shapes and order of the network's parameters. */
  public final ParameterLayout layout() {
    return layout;
  }

  @Override
  public final ImageEncoder encoder() {
    ensureOpen();
    return this;
  }

  @Override
  public final SequenceDecoder decoder() {
    ensureOpen();
    return this;
  }

  @Override
  public final int maxSequenceLength() {
    return config().maxSequenceLength();
  }

  @Override
  public final void saveWeights(Path dir) throws CheckpointException {
    ensureOpen();
    SafeTensors.write(dir.resolve(WEIGHTS_FILE), weightTensors(),
        Map.of(FORMAT_KEY, FORMAT_VALUE));
  }

  @Override
  public final ImageFeatures encode(List<ImageTensor> images) {
    ensureOpen();
    if (images.isEmpty()) {
      throw new IllegalArgumentException("encode needs at least one image");
    }
    return encodePixels(NetworkInputs.pixels(images, config()), images.size());
  }

  @Override
  public final DecodingSession open(ImageFeatures features, int[] imageOfRow) {
    ensureOpen();
    F f = own(features);
    checkImageRows(f, imageOfRow);
    return openRows(f, imageOfRow);
  }

  @Override
  public final float[][][] logits(ImageFeatures features, int[] imageOfRow, int[][] tokens) {
    ensureOpen();
    F f = own(features);
    checkImageRows(f, imageOfRow);
    if (tokens.length != imageOfRow.length) {
      throw new IllegalArgumentException(
          "logits needs one token row per image row (" + imageOfRow.length + "), found "
              + tokens.length);
    }
    return teacherForced(f, imageOfRow, tokens, checkTokens(tokens, 0));
  }

  /**
   * The length of the token rows, checked for this model ({@link
   * NetworkInputs#tokenRowLength}): {@code cached} positions are already in a cache.
   *
   * @throws IllegalArgumentException as {@link NetworkInputs#tokenRowLength}
   */
  public final int checkTokens(int[][] tokens, int cached) {
    return NetworkInputs.tokenRowLength(tokens, cached, vocabSize(), config());
  }

  /**
   * @throws IllegalStateException if the model was closed
   */
  public final void ensureOpen() {
    if (closed) {
      throw new IllegalStateException("the " + engine + " model has been closed");
    }
  }

  /** Whether {@link #close} ran. */
  public final boolean isClosed() {
    return closed;
  }

  @Override
  public final synchronized void close() {
    if (!closed) {
      closed = true;
      release();
    }
  }

  /** Encodes {@code count} images given as CHW pixels ({@link NetworkInputs#pixels}). */
  protected abstract ImageFeatures encodePixels(float[] pixels, int count);

  /** A decoding session over these rows of the features (checked). */
  protected abstract DecodingSession openRows(F features, int[] imageOfRow);

  /** The teacher-forced logits of token rows of {@code length} (all checked). */
  protected abstract float[][][] teacherForced(
      F features, int[] imageOfRow, int[][] tokens, int length);

  /** Every parameter's current value, in checkpoint order. */
  protected abstract List<NamedTensor> weightTensors();

  /** Frees the backend's resources; called once, by {@link #close}. */
  protected abstract void release();

  private F own(ImageFeatures features) {
    if (!featuresType.isInstance(features) || featuresType.cast(features).model() != this) {
      throw new IllegalArgumentException("image features were not encoded by this model");
    }
    F f = featuresType.cast(features);
    f.ensureOpen();
    return f;
  }

  private static void checkImageRows(ImageFeatures f, int[] imageOfRow) {
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
}
