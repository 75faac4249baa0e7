package dev.pix2seq.runtime.checkpoint;

import dev.pix2seq.api.CheckpointException;
import dev.pix2seq.api.ConfigException;
import dev.pix2seq.api.checkpoint.NamedTensor;
import dev.pix2seq.api.checkpoint.SafeTensors;
import dev.pix2seq.api.config.ConfigIO;
import dev.pix2seq.api.config.Device;
import dev.pix2seq.api.model.Backend;
import dev.pix2seq.api.model.Pix2seqModel;
import dev.pix2seq.api.network.ParameterLayout;
import dev.pix2seq.api.network.ParameterSpec;
import dev.pix2seq.tasks.TaskContext;
import dev.pix2seq.tokenizer.Vocabulary;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Saves and loads checkpoint directories (see the package notes for the layout).
 *
 * <pre>{@code
 * // after training: RUN/checkpoint/ is replaced atomically
 * Checkpoint.save(run.resolve(Checkpoint.RUN_CHECKPOINT_DIR), model, vocabulary,
 *     CheckpointManifest.of(model, context, tasks, Provenance.now(backend.name(), step)),
 *     dir -> trainer.saveState(dir));
 *
 * // for prediction: RUN or RUN/checkpoint
 * try (LoadedCheckpoint ckpt = Checkpoint.load(run, backend, Device.CPU)) {
 *   DetectionCodec detect = registry.codec("detect", ckpt.context(), DetectionCodec.class);
 *   ...
 * }
 * }</pre>
 */
public final class Checkpoint {

  /** The manifest; written last, so its presence marks a complete checkpoint. */
  public static final String MODEL_FILE = "model.json";

  /** The weights, written by {@link Pix2seqModel#saveWeights}. */
  public static final String WEIGHTS_FILE = "weights.safetensors";

  /** The training state directory inside a checkpoint, present when saved by training. */
  public static final String TRAIN_STATE_DIR = "train-state";

  /** The checkpoint directory inside a training run directory. */
  public static final String RUN_CHECKPOINT_DIR = "checkpoint";

  private Checkpoint() {}

  /**
   * Saves a checkpoint without training state; see {@link #save(Path, Pix2seqModel, Vocabulary,
   * CheckpointManifest, TrainStateWriter)}.
   */
  public static void save(
      Path dir, Pix2seqModel model, Vocabulary vocabulary, CheckpointManifest manifest)
      throws CheckpointException {
    save(dir, model, vocabulary, manifest, null);
  }

  /**
   * Writes a checkpoint into {@code dir}, replacing any checkpoint there as a whole: everything
   * is written into a sibling temporary directory first and swapped in by renames, so a failure
   * or crash at any point leaves the previous checkpoint readable.
   *
   * @param dir the checkpoint directory (for a training run: {@code RUN/checkpoint})
   * @param model the network whose weights to save
   * @param vocabulary its vocabulary
   * @param manifest what {@code model.json} records; must describe {@code model} and {@code
   *     vocabulary}
   * @param trainState writes {@code train-state/}, or null for none
   * @throws IllegalArgumentException if the manifest does not describe the model and vocabulary
   * @throws CheckpointException if a file cannot be written (the previous checkpoint is kept),
   *     or if {@code dir} exists, is not empty and holds no checkpoint (it is never replaced)
   */
  public static void save(
      Path dir, Pix2seqModel model, Vocabulary vocabulary, CheckpointManifest manifest,
      TrainStateWriter trainState) throws CheckpointException {
    Objects.requireNonNull(dir, "dir");
    checkDescribes(manifest, model, vocabulary);
    write(dir, vocabulary, manifest, model::saveWeights, trainState);
  }

  /**
   * Writes a checkpoint from weights held in memory (for example converted from another
   * format) instead of a live model, with the same atomic replacement as {@link #save(Path,
   * Pix2seqModel, Vocabulary, CheckpointManifest, TrainStateWriter)}. The weights must be
   * exactly the parameters of {@link ParameterLayout} for the manifest's model and vocabulary
   * size, each with its shape; they are written in the layout's order.
   *
   * @throws IllegalArgumentException naming the tensor if one is missing, extra or of another
   *     shape, or if the manifest does not describe the vocabulary
   * @throws CheckpointException if a file cannot be written (the previous checkpoint is kept)
   */
  public static void save(
      Path dir, List<NamedTensor> weights, Vocabulary vocabulary, CheckpointManifest manifest)
      throws CheckpointException {
    Objects.requireNonNull(dir, "dir");
    checkDescribes(manifest, manifest.vocabSize(), vocabulary);
    List<NamedTensor> ordered = inLayoutOrder(
        ParameterLayout.of(manifest.model(), manifest.vocabSize()), weights);
    write(dir, vocabulary, manifest,
        tmp -> SafeTensors.write(tmp.resolve(WEIGHTS_FILE), ordered, ParameterLayout.WEIGHTS_METADATA), null);
  }

  private static List<NamedTensor> inLayoutOrder(
      ParameterLayout layout, List<NamedTensor> weights) {
    Map<String, NamedTensor> byName = new LinkedHashMap<>();
    for (NamedTensor t : weights) {
      if (byName.put(t.name(), t) != null) {
        throw new IllegalArgumentException("weight '" + t.name() + "' is given twice");
      }
    }
    List<NamedTensor> ordered = new ArrayList<>();
    for (ParameterSpec spec : layout.specs()) {
      NamedTensor t = byName.remove(spec.name());
      if (t == null) {
        throw new IllegalArgumentException("weight '" + spec.name() + "' is missing");
      }
      if (!Arrays.equals(t.shape(), spec.shape())) {
        throw new IllegalArgumentException("weight '" + spec.name() + "' has shape "
            + Arrays.toString(t.shape()) + ", expected " + Arrays.toString(spec.shape()));
      }
      ordered.add(t);
    }
    if (!byName.isEmpty()) {
      throw new IllegalArgumentException("weights not in the model's layout: " + byName.keySet());
    }
    return ordered;
  }

  private static void write(Path dir, Vocabulary vocabulary, CheckpointManifest manifest,
      WeightsWriter weights, TrainStateWriter trainState) throws CheckpointException {
    byte[] manifestBytes = ManifestJson.toBytes(manifest);
    AtomicDirectory.replace(dir, MODEL_FILE, tmp -> {
      try {
        vocabulary.save(tmp);
      } catch (IOException e) {
        throw new CheckpointException(tmp + ": cannot write the vocabulary: " + e.getMessage(), e);
      }
      weights.write(tmp);
      if (!Files.isRegularFile(tmp.resolve(WEIGHTS_FILE))) {
        throw new CheckpointException(tmp + ": no " + WEIGHTS_FILE + " was written");
      }
      if (trainState != null) {
        Path state = tmp.resolve(TRAIN_STATE_DIR);
        try {
          Files.createDirectory(state);
        } catch (IOException e) {
          throw new CheckpointException(state + ": cannot create: " + e.getMessage(), e);
        }
        trainState.write(state);
      }
      try {
        ConfigIO.writeAtomically(tmp.resolve(MODEL_FILE), manifestBytes);
      } catch (IOException e) {
        throw new CheckpointException(
            tmp.resolve(MODEL_FILE) + ": cannot write: " + e.getMessage(), e);
      }
    });
  }

  /** Writes {@value #WEIGHTS_FILE} into a directory. */
  private interface WeightsWriter {
    void write(Path dir) throws CheckpointException;
  }

  private static void checkDescribes(
      CheckpointManifest manifest, Pix2seqModel model, Vocabulary vocabulary) {
    if (!manifest.model().equals(model.config())) {
      throw new IllegalArgumentException("the manifest's model config " + manifest.model()
          + " differs from the model's " + model.config());
    }
    checkDescribes(manifest, model.vocabSize(), vocabulary);
  }

  private static void checkDescribes(
      CheckpointManifest manifest, int modelVocabSize, Vocabulary vocabulary) {
    if (manifest.vocabSize() != modelVocabSize || modelVocabSize != vocabulary.size()) {
      throw new IllegalArgumentException("vocabulary sizes differ: manifest "
          + manifest.vocabSize() + ", model " + modelVocabSize + ", vocabulary "
          + vocabulary.size());
    }
    if (!manifest.layout().equals(vocabulary.layout())
        || !manifest.categories().equals(vocabulary.categories())) {
      throw new IllegalArgumentException(
          "the manifest's layout or categories differ from the vocabulary's");
    }
  }

  /**
   * The checkpoint directory that {@code path} names: {@code path} itself when it holds {@value
   * #MODEL_FILE}, else its {@value #RUN_CHECKPOINT_DIR}/ subdirectory (a training run). When a
   * save was interrupted between its two renames, the previous checkpoint it moved aside.
   *
   * @throws CheckpointException naming {@code path} when neither holds a checkpoint
   */
  public static Path resolve(Path path) throws CheckpointException {
    Objects.requireNonNull(path, "path");
    Path direct = AtomicDirectory.readable(path, MODEL_FILE);
    if (direct != null) {
      return direct;
    }
    Path inRun = AtomicDirectory.readable(path.resolve(RUN_CHECKPOINT_DIR), MODEL_FILE);
    if (inRun != null) {
      return inRun;
    }
    if (!Files.exists(path)) {
      throw new CheckpointException(path + ": no such checkpoint or run directory");
    }
    throw new CheckpointException(path + ": no checkpoint found: expected " + MODEL_FILE
        + " in it or in its " + RUN_CHECKPOINT_DIR + "/ directory");
  }

  /**
   * The manifest of the checkpoint that {@code path} names (see {@link #resolve}), without
   * loading the weights.
   *
   * @throws CheckpointException naming the file and field when it is missing or malformed
   */
  public static CheckpointManifest readManifest(Path path) throws CheckpointException {
    return ManifestJson.read(resolve(path).resolve(MODEL_FILE));
  }

  /**
   * Loads the checkpoint that {@code path} names (see {@link #resolve}) onto a backend. Any
   * backend loads what any other saved.
   *
   * @param path a checkpoint directory or a training run directory
   * @param backend the backend that runs the model
   * @param device where it runs
   * @throws CheckpointException naming the file and field when anything is missing, malformed
   *     or inconsistent (a vocabulary that disagrees with the manifest, weights of other shapes)
   */
  public static LoadedCheckpoint load(Path path, Backend backend, Device device)
      throws CheckpointException {
    Objects.requireNonNull(backend, "backend");
    Objects.requireNonNull(device, "device");
    Path dir = resolve(path);
    Path manifestFile = dir.resolve(MODEL_FILE);
    CheckpointManifest manifest = ManifestJson.read(manifestFile);
    Vocabulary vocabulary;
    try {
      vocabulary = Vocabulary.load(dir);
    } catch (ConfigException e) {
      throw new CheckpointException(e.getMessage(), e);
    }
    Pix2seqModel model = null;
    try {
      checkVocabulary(manifestFile, manifest, vocabulary);
      TaskContext context = new TaskContext(vocabulary, manifest.taskOptions());
      model = backend.load(dir, manifest.model(), manifest.vocabSize(), device);
      if (model.vocabSize() != manifest.vocabSize()) {
        throw new CheckpointException(dir.resolve(WEIGHTS_FILE) + ": backend " + backend.name()
            + " loaded a model of " + model.vocabSize() + " tokens, the manifest says "
            + manifest.vocabSize());
      }
      return new LoadedCheckpoint(dir, manifest, model, vocabulary, context);
    } catch (CheckpointException | RuntimeException e) {
      if (model != null) {
        model.close();
      }
      if (vocabulary.textTokenizer() instanceof AutoCloseable closeable) {
        try {
          closeable.close();
        } catch (Exception suppressed) {
          e.addSuppressed(suppressed);
        }
      }
      throw e;
    }
  }

  private static void checkVocabulary(Path file, CheckpointManifest m, Vocabulary v)
      throws CheckpointException {
    if (!m.layout().equals(v.layout())) {
      throw new CheckpointException(file + ": field 'layout' differs from the layout in "
          + Vocabulary.VOCAB_FILE + ": " + m.layout() + " vs " + v.layout());
    }
    if (!m.categories().equals(v.categories())) {
      throw new CheckpointException(file + ": field 'categories' differs from the categories in "
          + Vocabulary.VOCAB_FILE + " (" + m.categories().size() + " vs "
          + v.categories().size() + " categories)");
    }
    if (m.vocabSize() != v.size()) {
      throw new CheckpointException(file + ": field 'vocabSize' is " + m.vocabSize() + " but "
          + Vocabulary.VOCAB_FILE + " and " + Vocabulary.TOKENIZER_FILE + " give "
          + v.size() + " tokens (textBase " + v.layout().textBase() + " + "
          + v.textTokenizer().size() + " text tokens)");
    }
  }
}
