package dev.pix2seq.djl.translator;

import ai.djl.Model;
import ai.djl.ndarray.NDManager;
import ai.djl.translate.Translator;
import ai.djl.translate.TranslatorFactory;
import ai.djl.util.Pair;
import dev.pix2seq.api.CheckpointException;
import dev.pix2seq.api.ConfigException;
import dev.pix2seq.runtime.checkpoint.Checkpoint;
import java.lang.reflect.Type;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes the translators that run a pix2seq checkpoint inside DJL. The DJL model's path is the
 * checkpoint or training run directory; the factory loads the checkpoint once per model, when
 * DJL loads the model, and ties it to the model: closing the {@code ZooModel} releases it.
 *
 * <p>Supported types (the first of a pair is the default; the {@value #TASK_ARGUMENT} argument
 * picks another):
 *
 * <table>
 *   <caption>Input and output types</caption>
 *   <tr><th>input</th><th>output</th><th>task</th><th>what it does</th></tr>
 *   <tr><td>{@code Image}</td><td>{@code DetectedObjects}</td><td>{@code detect}</td>
 *       <td>objects with boxes relative to the image</td></tr>
 *   <tr><td>{@code Image}</td><td>{@code DetectedObjects}</td><td>{@code segment}</td>
 *       <td>detected objects whose boxes are full-image {@code Mask}s</td></tr>
 *   <tr><td>{@link ImageObjects}</td><td>{@code DetectedObjects}</td><td>{@code segment}</td>
 *       <td>the given objects, each with its {@code Mask}</td></tr>
 *   <tr><td>{@link ImageObjects}</td><td>{@code Joints[]}</td><td>{@code keypoint}</td>
 *       <td>the keypoints of each given object</td></tr>
 *   <tr><td>{@code Image}</td><td>{@code Joints[]}</td><td>{@code keypoint}</td>
 *       <td>the keypoints of each detected object whose category has keypoints</td></tr>
 *   <tr><td>{@code Image}</td><td>{@code String}</td><td>{@code describe}</td>
 *       <td>a caption</td></tr>
 * </table>
 *
 * <p>Coordinates are relative to the image (0..1), so {@code Image.drawBoundingBoxes} and
 * {@code Image.drawJoints} draw the results. Class names are the checkpoint's category names.
 * The checkpoint must have been trained on every task a route runs.
 *
 * <p>Arguments ({@code Criteria.optArgument}): {@value #TASK_ARGUMENT}; {@value
 * #INFERENCE_CONFIG_ARGUMENT}, the path of an {@code InferenceConfig} JSON file; and any
 * {@code InferenceConfig} field by its name ({@code batchSize}, {@code segmentationSamples},
 * {@code seed}, {@code device}, {@code backend}, {@code samplers} as a JSON object), validated
 * as in a config file. The device defaults to the DJL model's device, the backend to {@code
 * djl}. Other arguments are ignored, as DJL passes its own.
 *
 * <pre>{@code
 * Criteria<Image, DetectedObjects> criteria = Criteria.builder()
 *     .setTypes(Image.class, DetectedObjects.class)
 *     .optModelPath(Path.of("runs/tiny"))
 *     .optEngine("PyTorch")
 *     .optBlock(Pix2seqCriteria.placeholderBlock())
 *     .optOption("hasParameter", "false")
 *     .optTranslatorFactory(new Pix2seqTranslatorFactory())
 *     .optArgument("seed", 7)
 *     .build();
 * }</pre>
 *
 * <p>(or {@link Pix2seqCriteria#builder()}, which sets the engine, block, option and factory).
 * Stateless and thread-safe.
 */
public final class Pix2seqTranslatorFactory implements TranslatorFactory {

  /** Criteria argument choosing the task where the types allow several: {@value}. */
  public static final String TASK_ARGUMENT = TranslatorSettings.TASK;

  /** Criteria argument naming an {@code InferenceConfig} JSON file: {@value}. */
  public static final String INFERENCE_CONFIG_ARGUMENT = TranslatorSettings.INFERENCE_CONFIG;

  private static final Logger LOG = LoggerFactory.getLogger(Pix2seqTranslatorFactory.class);

  private static final Set<Pair<Type, Type>> SUPPORTED = supportedTypes();

  private static Set<Pair<Type, Type>> supportedTypes() {
    Set<Pair<Type, Type>> types = new LinkedHashSet<>();
    for (Route<?, ?> r : Route.ALL) {
      types.add(new Pair<>(r.input(), r.output()));
    }
    return Collections.unmodifiableSet(types);
  }

  @Override
  public Set<Pair<Type, Type>> getSupportedTypes() {
    return SUPPORTED;
  }

  /**
   * Loads the checkpoint at the model's path and returns the translator for the types.
   *
   * @throws Pix2seqLoadException (unchecked, so that DJL's {@code Criteria.loadModel()} passes
   *     it on as it is) if the types or the task are not supported, an argument is malformed,
   *     the checkpoint cannot be loaded, or it was not trained on a task the translator runs;
   *     the message says which
   */
  @Override
  public <I, O> Translator<I, O> newInstance(
      Class<I> input, Class<O> output, Model model, Map<String, ?> arguments) {
    Path path = model.getModelPath();
    NDManager manager = model.getNDManager();
    Route<I, O> route;
    TranslatorSettings settings;
    try {
      settings = TranslatorSettings.of(arguments, manager.getDevice());
      route = Route.find(input, output, settings.task());
    } catch (ConfigException | IllegalArgumentException e) {
      throw new Pix2seqLoadException(path + ": " + e.getMessage(), e);
    }
    CheckpointHandle handle;
    try {
      checkTrained(Checkpoint.resolve(path), Checkpoint.readManifest(path).tasks(), route);
      handle = CheckpointHandle.open(path, settings.inference());
    } catch (ConfigException | CheckpointException e) {
      throw new Pix2seqLoadException(
          "cannot load the pix2seq checkpoint for DJL: " + e.getMessage(), e);
    }
    try {
      manager.attachInternal(NDManager.nextUid(), handle);
    } catch (RuntimeException e) {
      handle.close();
      throw e;
    }
    LOG.debug("pix2seq checkpoint {} serves {} with {}", handle.directory(), route,
        settings.inference());
    return new Pix2seqTranslator<>(handle, route);
  }

  /**
   * Checks that a checkpoint trained on {@code trained} can serve {@code route}.
   *
   * @throws Pix2seqLoadException naming the checkpoint and the missing tasks
   */
  static void checkTrained(Path checkpoint, List<String> trained, Route<?, ?> route) {
    List<String> missing = route.needs().stream().filter(t -> !trained.contains(t)).toList();
    if (!missing.isEmpty()) {
      throw new Pix2seqLoadException(checkpoint + ": " + route.types() + " runs tasks "
          + route.needs() + ", but the checkpoint was trained on " + trained + " only (missing "
          + missing + ")", null);
    }
  }
}
