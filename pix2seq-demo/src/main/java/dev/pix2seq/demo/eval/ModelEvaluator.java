package dev.pix2seq.demo.eval;

import dev.pix2seq.api.DatasetException;
import dev.pix2seq.api.config.InferenceConfig;
import dev.pix2seq.api.value.Caption;
import dev.pix2seq.api.value.Category;
import dev.pix2seq.api.value.Detection;
import dev.pix2seq.api.value.ImageTensor;
import dev.pix2seq.data.coco.CocoAnnotation;
import dev.pix2seq.data.coco.CocoDataset;
import dev.pix2seq.data.coco.CocoImage;
import dev.pix2seq.data.image.ImageFiles;
import dev.pix2seq.runtime.checkpoint.LoadedCheckpoint;
import dev.pix2seq.runtime.predict.ImagePredictions;
import dev.pix2seq.runtime.predict.KeypointPrediction;
import dev.pix2seq.runtime.predict.MaskPrediction;
import dev.pix2seq.runtime.predict.ObjectInstance;
import dev.pix2seq.runtime.predict.Pix2seqPredictor;
import dev.pix2seq.tasks.TaskRegistry;
import dev.pix2seq.tasks.describe.CaptionCodec;
import dev.pix2seq.tasks.detect.DetectionCodec;
import dev.pix2seq.tasks.keypoint.KeypointCodec;
import dev.pix2seq.tasks.segment.SegmentationCodec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.IntPredicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a trained model on a COCO-format dataset for each task it was trained on (or a chosen
 * subset) and scores it ({@link PredictionScorer}):
 *
 * <ul>
 *   <li>{@code detect}: box AP of the detections;
 *   <li>{@code segment}: mask AP twice, masks prompted by the ground-truth boxes (every
 *       non-crowd annotation) and, when {@code detect} is evaluated too, by the model's own
 *       detections;
 *   <li>{@code keypoint}: OKS AP likewise, prompted by the boxes of keypoint categories (the
 *       ground truth's person instances, the model's person detections);
 *   <li>{@code describe}: BLEU-1..4 and CIDEr-D of the generated captions.
 * </ul>
 *
 * AP is pycocotools' first statistic, AP@[.50:.95]. Images are taken in dataset order (at most
 * {@link Builder#optImageLimit the limit}), read a chunk at a time and passed through the
 * predictor's batched methods, {@link InferenceConfig#batchSize()} model inputs per forward pass.
 * Same model, config and images: same numbers.
 *
 * <pre>{@code
 * try (LoadedCheckpoint ckpt = Checkpoint.load(run, Backends.discover().select("djl"), Device.CPU)) {
 *   ModelEvaluation result = ModelEvaluator.builder()
 *       .setCheckpoint(ckpt)
 *       .setDataset(Path.of("data/heldout"))
 *       .optImageLimit(200)
 *       .build()
 *       .evaluate();
 *   result.writeAll(Path.of("eval"));
 *   System.out.println(result.summary());
 * }
 * }</pre>
 *
 * <p>One evaluator may evaluate several times; it is as thread-safe as its model.
 */
public final class ModelEvaluator {
  private static final Logger LOG = LoggerFactory.getLogger(ModelEvaluator.class);

  /** The tasks an evaluator knows, in the order they are run and reported. */
  public static final List<String> TASKS =
      List.of(DetectionCodec.NAME, SegmentationCodec.NAME, KeypointCodec.NAME, CaptionCodec.NAME);

  /** Forward-pass batches of images read per chunk. */
  private static final int BATCHES_PER_CHUNK = 4;

  private final Pix2seqPredictor predictor;
  private final List<String> tasks;
  private final Path datasetRoot;
  private final EvaluationDataset dataset;
  private final int imageLimit;
  private final int parallelism;
  private final Map<Integer, double[]> keypointSigmas;

  private ModelEvaluator(Builder b, Pix2seqPredictor predictor, List<String> tasks) {
    this.predictor = predictor;
    this.tasks = tasks;
    this.datasetRoot = b.datasetRoot;
    this.dataset = b.dataset;
    this.imageLimit = b.imageLimit;
    this.parallelism = b.parallelism;
    this.keypointSigmas = Map.copyOf(b.keypointSigmas);
  }

  /** A builder: a checkpoint (or a predictor) and a dataset are required. */
  public static Builder builder() {
    return new Builder();
  }

  /** The tasks evaluated, in {@link #TASKS} order. */
  public List<String> tasks() {
    return tasks;
  }

  /** The predictor that runs the model. */
  public Pix2seqPredictor predictor() {
    return predictor;
  }

  /**
   * Runs the model on the dataset's images and scores every evaluated task.
   *
   * @throws DatasetException naming the file when the dataset cannot be read, holds no image,
   *     lacks what a task is scored against (segmentations, keypoints, captions), or names a
   *     category the model does not know where ground-truth boxes prompt the model
   */
  public ModelEvaluation evaluate() throws DatasetException {
    EvaluationDataset data = dataset != null ? dataset : EvaluationDataset.read(datasetRoot);
    List<CocoImage> images = data.dataset().images().isEmpty()
        ? List.of()
        : data.images(imageLimit);
    if (images.isEmpty()) {
      throw new DatasetException(data.instancesFile() + ": the dataset holds no images");
    }
    boolean detect = tasks.contains(DetectionCodec.NAME);
    boolean segment = tasks.contains(SegmentationCodec.NAME);
    boolean keypoint = tasks.contains(KeypointCodec.NAME);
    boolean describe = tasks.contains(CaptionCodec.NAME);
    boolean detectedPrompts = detect && (segment || keypoint);
    Set<Integer> keypointCategories = keypointCategories();
    if (segment || keypoint) {
      checkCategories(data, images);
    }
    if (keypoint && keypointCategories.isEmpty()) {
      throw new DatasetException(data.instancesFile() + ": keypoint is evaluated but the "
          + "model knows no category with keypoints");
    }

    long start = System.nanoTime();
    List<ImagePredictions> withTruth = new ArrayList<>(images.size());
    List<ImagePredictions> withDetections = new ArrayList<>(detectedPrompts ? images.size() : 0);
    int chunk = Math.max(1, predictor.config().batchSize() * BATCHES_PER_CHUNK);
    for (int from = 0; from < images.size(); from += chunk) {
      List<CocoImage> part = images.subList(from, Math.min(images.size(), from + chunk));
      List<ImageTensor> tensors = new ArrayList<>(part.size());
      List<Long> ids = new ArrayList<>(part.size());
      for (CocoImage image : part) {
        tensors.add(ImageFiles.toTensor(data.readImage(image)));
        ids.add(image.id());
      }
      int n = part.size();
      List<List<Detection>> detections = detect ? predictor.detectAll(tensors) : empty(n);
      List<List<ObjectInstance>> truthObjects = new ArrayList<>(n);
      List<List<ObjectInstance>> truthPeople = new ArrayList<>(n);
      for (long id : ids) {
        List<ObjectInstance> all = groundTruthInstances(data.dataset(), id);
        truthObjects.add(all);
        truthPeople.add(only(all, keypointCategories::contains));
      }
      List<List<ObjectInstance>> detectedObjects =
          detections.stream().map(ObjectInstance::of).toList();
      List<List<ObjectInstance>> detectedPeople = detectedObjects.stream()
          .map(l -> only(l, keypointCategories::contains)).toList();

      List<List<MaskPrediction>> masksTruth =
          segment ? predictor.segmentAll(tensors, truthObjects) : empty(n);
      List<List<MaskPrediction>> masksDetected = segment && detect
          ? predictor.segmentAll(tensors, detectedObjects) : empty(n);
      List<List<KeypointPrediction>> keypointsTruth =
          keypoint ? predictor.keypointsAll(tensors, truthPeople) : empty(n);
      List<List<KeypointPrediction>> keypointsDetected = keypoint && detect
          ? predictor.keypointsAll(tensors, detectedPeople) : empty(n);
      List<Caption> captions = describe ? predictor.describeAll(tensors) : null;
      for (int i = 0; i < n; i++) {
        List<Caption> caption = captions == null ? List.of() : List.of(captions.get(i));
        withTruth.add(new ImagePredictions(ids.get(i), detections.get(i), masksTruth.get(i),
            keypointsTruth.get(i), caption));
        if (detectedPrompts) {
          withDetections.add(new ImagePredictions(ids.get(i), detections.get(i),
              masksDetected.get(i), keypointsDetected.get(i), caption));
        }
      }
      LOG.info("evaluated {} of {} images ({})", from + n, images.size(), tasks);
    }
    double predictSeconds = (System.nanoTime() - start) / 1e9;

    long scoreStart = System.nanoTime();
    List<Long> imageIds = images.stream().map(CocoImage::id).toList();
    PredictionScorer scorer =
        new PredictionScorer(data, imageIds, parallelism, keypointSigmas);
    ModelEvaluation.Builder result = ModelEvaluation.builder()
        .setTasks(tasks)
        .setImageIds(imageIds)
        .setCategories(data.dataset().categories())
        .optPredictions(BoxSource.GROUND_TRUTH, withTruth);
    if (detect) {
      result.optDetection(scorer.detections(withTruth));
    }
    if (segment) {
      result.optSegmentation(scorer.masks(BoxSource.GROUND_TRUTH, withTruth));
    }
    if (segment && detect) {
      result.optSegmentation(scorer.masks(BoxSource.DETECTIONS, withDetections));
    }
    if (keypoint) {
      result.optKeypoints(scorer.keypoints(BoxSource.GROUND_TRUTH, withTruth));
    }
    if (keypoint && detect) {
      result.optKeypoints(scorer.keypoints(BoxSource.DETECTIONS, withDetections));
    }
    if (describe) {
      result.optCaptions(scorer.captions(withTruth));
    }
    if (detectedPrompts) {
      result.optPredictions(BoxSource.DETECTIONS, withDetections);
    }
    double scoreSeconds = (System.nanoTime() - scoreStart) / 1e9;
    return result.optSeconds(predictSeconds, scoreSeconds).build();
  }

  /** Ids of the model's categories that have a keypoint schema. */
  private Set<Integer> keypointCategories() {
    Set<Integer> out = new HashSet<>();
    for (Category c : predictor.vocabulary().categories()) {
      if (c.keypoints() != null) {
        out.add(c.id());
      }
    }
    return out;
  }

  /** Every category of the evaluated images' annotations must be one of the model's. */
  private void checkCategories(EvaluationDataset data, List<CocoImage> images)
      throws DatasetException {
    Set<Integer> known = new HashSet<>();
    predictor.vocabulary().categories().forEach(c -> known.add(c.id()));
    for (CocoImage image : images) {
      for (CocoAnnotation a : data.dataset().annotationsOf(image.id())) {
        if (!a.crowd() && !known.contains(a.categoryId())) {
          Category c = data.dataset().category(a.categoryId());
          throw new DatasetException(data.instancesFile() + ": annotation " + a.id()
              + " has category " + a.categoryId() + (c == null ? "" : " '" + c.name() + "'")
              + ", which the model does not know (its categories: "
              + predictor.vocabulary().categories().stream().map(Category::id).toList() + ")");
        }
      }
    }
  }

  /** The image's non-crowd annotations with a non-empty box, as given instances (score 1). */
  private static List<ObjectInstance> groundTruthInstances(CocoDataset dataset, long imageId) {
    List<ObjectInstance> out = new ArrayList<>();
    for (CocoAnnotation a : dataset.annotationsOf(imageId)) {
      if (!a.crowd() && a.bbox().width() > 0 && a.bbox().height() > 0) {
        out.add(ObjectInstance.of(a.bbox(), a.categoryId()));
      }
    }
    return out;
  }

  private static List<ObjectInstance> only(List<ObjectInstance> all, IntPredicate category) {
    return all.stream().filter(o -> category.test(o.categoryId())).toList();
  }

  private static <T> List<List<T>> empty(int n) {
    return Collections.nCopies(n, List.of());
  }

  /**
   * Builds a {@link ModelEvaluator}: {@code set*} for the model and the dataset, {@code opt*}
   * for the rest; {@link #build()} checks them.
   */
  public static final class Builder {
    private LoadedCheckpoint checkpoint;
    private Pix2seqPredictor predictor;
    private List<String> trainedTasks;
    private Path datasetRoot;
    private EvaluationDataset dataset;
    private List<String> tasks;
    private int imageLimit = Integer.MAX_VALUE;
    private InferenceConfig inferenceConfig;
    private TaskRegistry registry;
    private int parallelism = Runtime.getRuntime().availableProcessors();
    private final Map<Integer, double[]> keypointSigmas = new HashMap<>();

    private Builder() {}

    /**
     * The model to evaluate (not closed by the evaluator), with the tasks it was trained on;
     * the predictor is made with {@link #optInferenceConfig} and {@link #optTaskRegistry}.
     */
    public Builder setCheckpoint(LoadedCheckpoint loaded) {
      this.checkpoint = loaded;
      return this;
    }

    /** Instead of a checkpoint: a ready predictor and the tasks its model was trained on. */
    public Builder setPredictor(Pix2seqPredictor ready, List<String> trained) {
      this.predictor = ready;
      this.trainedTasks = trained == null ? null : List.copyOf(trained);
      return this;
    }

    /** The COCO-format dataset folder (read when {@link ModelEvaluator#evaluate()} runs). */
    public Builder setDataset(Path root) {
      this.datasetRoot = root;
      this.dataset = null;
      return this;
    }

    /** A dataset already read. */
    public Builder setDataset(EvaluationDataset data) {
      this.dataset = data;
      this.datasetRoot = null;
      return this;
    }

    /** The tasks to evaluate (default: every built-in task the model was trained on). */
    public Builder optTasks(Collection<String> evaluated) {
      this.tasks = evaluated == null ? null : List.copyOf(evaluated);
      return this;
    }

    /** Evaluate at most the first {@code limit} images of the dataset (default: all). */
    public Builder optImageLimit(int limit) {
      this.imageLimit = limit;
      return this;
    }

    /**
     * Samplers, batch size, segmentation samples and seed of the predictor made from a
     * checkpoint (default {@link InferenceConfig#defaults()}).
     */
    public Builder optInferenceConfig(InferenceConfig config) {
      this.inferenceConfig = config;
      return this;
    }

    /** The task plug-ins (default: those found on the context class loader). */
    public Builder optTaskRegistry(TaskRegistry tasksKnown) {
      this.registry = tasksKnown;
      return this;
    }

    /** Threads of the COCO evaluation (default: every processor). */
    public Builder optParallelism(int threads) {
      this.parallelism = threads;
      return this;
    }

    /**
     * OKS sigmas of a keypoint category, one per keypoint (default: {@link KeypointSigmas};
     * pycocotools' COCO person sigmas for 17 keypoints).
     */
    public Builder optKeypointSigmas(int categoryId, double... sigmas) {
      if (sigmas == null || sigmas.length == 0) {
        throw new IllegalArgumentException("keypoint sigmas of category " + categoryId
            + " must not be empty");
      }
      for (double s : sigmas) {
        if (!(s > 0) || Double.isInfinite(s)) {
          throw new IllegalArgumentException("keypoint sigmas of category " + categoryId
              + " must be finite and > 0, found " + s);
        }
      }
      keypointSigmas.put(categoryId, sigmas.clone());
      return this;
    }

    /**
     * The evaluator.
     *
     * @throws IllegalArgumentException naming what is missing or wrong: no model or two, no
     *     dataset, an inference config beside a ready predictor, an image limit below 1, a task
     *     that is not built in or that the model was not trained on, or no task to evaluate
     */
    public ModelEvaluator build() {
      if ((checkpoint == null) == (predictor == null)) {
        throw new IllegalArgumentException(
            "an evaluator needs either a checkpoint or a predictor (with its trained tasks)");
      }
      if (predictor != null && inferenceConfig != null) {
        throw new IllegalArgumentException("an inference config applies to a checkpoint; a "
            + "ready predictor has its own");
      }
      if (datasetRoot == null && dataset == null) {
        throw new IllegalArgumentException("an evaluator needs a dataset");
      }
      if (imageLimit < 1) {
        throw new IllegalArgumentException("image limit must be >= 1, found " + imageLimit);
      }
      if (parallelism < 1) {
        throw new IllegalArgumentException("parallelism must be >= 1, found " + parallelism);
      }
      List<String> trained = checkpoint != null ? checkpoint.tasks() : trainedTasks;
      if (trained == null) {
        throw new IllegalArgumentException("a predictor needs the tasks its model was trained on");
      }
      List<String> evaluated = evaluatedTasks(trained);
      Pix2seqPredictor p = predictor;
      if (p == null) {
        TaskRegistry r = registry;
        if (r == null) {
          ClassLoader loader = Thread.currentThread().getContextClassLoader();
          r = TaskRegistry.discover(loader != null ? loader : ModelEvaluator.class.getClassLoader());
        }
        p = Pix2seqPredictor.of(checkpoint.model(), checkpoint.context(), r,
            inferenceConfig != null ? inferenceConfig : InferenceConfig.defaults());
      }
      return new ModelEvaluator(this, p, evaluated);
    }

    private List<String> evaluatedTasks(List<String> trained) {
      if (tasks == null) {
        List<String> out = TASKS.stream().filter(trained::contains).toList();
        if (out.isEmpty()) {
          throw new IllegalArgumentException("the model was trained on " + trained
              + ", none of the tasks an evaluator scores " + TASKS);
        }
        return out;
      }
      if (tasks.isEmpty()) {
        throw new IllegalArgumentException("tasks to evaluate must not be empty");
      }
      Set<String> asked = new LinkedHashSet<>(tasks);
      for (String t : asked) {
        if (!TASKS.contains(t)) {
          throw new IllegalArgumentException("cannot evaluate task '" + t + "': an evaluator "
              + "scores " + TASKS);
        }
        if (!trained.contains(t)) {
          throw new IllegalArgumentException("cannot evaluate task '" + t + "': the model was "
              + "trained on " + trained);
        }
      }
      return TASKS.stream().filter(asked::contains).toList();
    }
  }
}
