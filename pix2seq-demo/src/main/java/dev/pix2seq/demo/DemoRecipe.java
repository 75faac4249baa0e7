package dev.pix2seq.demo;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pix2seq.api.config.ConfigIO;
import dev.pix2seq.api.config.Device;
import dev.pix2seq.api.config.InferenceConfig;
import dev.pix2seq.api.config.ModelConfig;
import dev.pix2seq.api.config.TaskStage;
import dev.pix2seq.api.config.TrainConfig;
import dev.pix2seq.data.synth.SceneOptions;
import dev.pix2seq.demo.eval.ModelEvaluator;
import dev.pix2seq.tasks.TaskOptions;
import dev.pix2seq.tasks.describe.CaptionCodec;
import dev.pix2seq.tasks.describe.DescribeOptions;
import dev.pix2seq.tasks.detect.DetectionCodec;
import dev.pix2seq.tasks.detect.DetectionOptions;
import dev.pix2seq.tasks.keypoint.KeypointCodec;
import dev.pix2seq.tasks.keypoint.KeypointOptions;
import dev.pix2seq.tasks.segment.SegmentationCodec;
import dev.pix2seq.tasks.segment.SegmentationOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Everything the demo does, with every default in {@link #defaults()}: the data (synthetic
 * scenes, a training split and a held-out split drawn with another seed), the model, the
 * training recipe, the time budget and the evaluation.
 *
 * <p><b>Time.</b> {@code budget} is the whole demo's: data, training, evaluation and report.
 * Training stops (with a checkpoint) when {@code trainShare} of the budget, less the time the
 * data took, has gone into its steps, or after {@code steps} steps, whichever comes first; the
 * rest is left for evaluating {@code heldoutImages} images. The single-task comparison, when
 * asked for, trains one model per task for the same training time divided by the task count,
 * with as many steps as the multi-task model gives each task on average ({@code steps /
 * tasks}), so it about doubles the demo's time.
 *
 * <pre>{@code
 * DemoRecipe quick = DemoRecipe.defaults().withBudget(Duration.ofMinutes(5));
 * }</pre>
 *
 * @param model the network (the {@code demo} preset)
 * @param coordBins coordinate bins of the vocabulary (one per input pixel by default)
 * @param scenes options of the training scenes (size, objects, seed)
 * @param heldoutSeed the seed of the held-out scenes; differs from the training seed
 * @param trainImages training scenes written
 * @param heldoutImages held-out scenes written and evaluated
 * @param tasks the tasks trained and evaluated, built-in ones, in any order
 * @param steps optimiser steps at most (also the length of the learning-rate schedule)
 * @param batchSize examples per batch
 * @param learningRate peak learning rate
 * @param warmupSteps linear warm-up steps
 * @param schedule decay after warm-up: {@code linear}, {@code cosine} or {@code constant}
 * @param mixing {@code sampled} (one task per batch, drawn by weight) or {@code summed}
 * @param taskWeights weight of each task (absent: 1)
 * @param taskOptions options of the tasks (absent: the plug-in's defaults, shrunk to fit)
 * @param textVocabSize most text tokens of the caption tokenizer
 * @param seed seed of training and sampling
 * @param budget time for the whole demo
 * @param trainShare share of the budget that data and training may use, in (0, 1]
 * @param evalBatchSize model inputs per forward pass when evaluating
 * @param segmentationSamples masks sampled and voted per instance when evaluating
 * @param pictures held-out images drawn with their predictions (one picture per task)
 * @param stages spans of steps at the start of training with task weights of their own
 *     ({@link TrainConfig#stages()}); the single-task models of the comparison have none
 */
public record DemoRecipe(
    ModelConfig model,
    int coordBins,
    SceneOptions scenes,
    long heldoutSeed,
    int trainImages,
    int heldoutImages,
    List<String> tasks,
    int steps,
    int batchSize,
    double learningRate,
    int warmupSteps,
    String schedule,
    String mixing,
    Map<String, Double> taskWeights,
    Map<String, TaskOptions> taskOptions,
    int textVocabSize,
    long seed,
    Duration budget,
    double trainShare,
    int evalBatchSize,
    int segmentationSamples,
    int pictures,
    List<TaskStage> stages) {

  /** The model preset. */
  public static final String DEFAULT_PRESET = "demo";
  /** One coordinate bin per pixel of the 128 px input. */
  public static final int DEFAULT_COORD_BINS = 128;
  /** Seed of the training scenes. */
  public static final long DEFAULT_TRAIN_SCENE_SEED = 1;
  /** Seed of the held-out scenes. */
  public static final long DEFAULT_HELDOUT_SEED = 2;
  /** Training scenes. */
  public static final int DEFAULT_TRAIN_IMAGES = 2000;
  /** Held-out scenes, all evaluated. */
  public static final int DEFAULT_HELDOUT_IMAGES = 100;
  /** Optimiser steps at most. */
  public static final int DEFAULT_STEPS = 5400;
  /** Examples per batch. */
  public static final int DEFAULT_BATCH_SIZE = 16;
  /** Peak learning rate. */
  public static final double DEFAULT_LEARNING_RATE = 1e-3;
  /** Warm-up steps. */
  public static final int DEFAULT_WARMUP_STEPS = 100;
  /** Decay after warm-up. */
  public static final String DEFAULT_SCHEDULE = "linear";
  /** One task per batch. */
  public static final String DEFAULT_MIXING = "sampled";
  /** Text tokens of the caption tokenizer (the scene captions use a small vocabulary). */
  public static final int DEFAULT_TEXT_VOCAB_SIZE = 500;
  /** Seed of training and sampling. */
  public static final long DEFAULT_SEED = 42;
  /** The whole demo's time on a 2-core machine. */
  public static final Duration DEFAULT_BUDGET = Duration.ofMinutes(15);
  /** Data and training take 90 % of the budget; evaluation and report (under 40 s) the rest. */
  public static final double DEFAULT_TRAIN_SHARE = 0.9;
  /** Evaluation batch. */
  public static final int DEFAULT_EVAL_BATCH_SIZE = 16;
  /** Masks voted per instance (the reference samples 8; 4 halves the demo's evaluation). */
  public static final int DEFAULT_SEGMENTATION_SAMPLES = 4;
  /** Held-out images drawn. */
  public static final int DEFAULT_PICTURES = 3;
  /** A scene holds at most 5 objects (default scenes): 10 leaves room. */
  public static final int DEFAULT_MAX_OBJECTS = 10;
  /** Polygon vertices per instance: enough for the scenes' shapes at 128 px. */
  public static final int DEFAULT_MAX_POINTS = 32;
  /**
   * Decoder-input corruption of captions and keypoints (the reference's 0.5 regularises long
   * trainings; a short one learns faster from cleaner inputs).
   */
  public static final double DEFAULT_INPUT_CORRUPTION = 0.1;
  /**
   * Weight of segmentation in the mix after the detection stage (the others weigh 1): its
   * polygons are the longest sequences and the slowest task to learn.
   */
  public static final double DEFAULT_SEGMENT_WEIGHT = 2.0;
  /**
   * Detection alone for the first third of the steps, then the four-task mix: a model that
   * already finds objects learns the box-prompted tasks and the captions much faster than one
   * that starts all four at once (docs/training-notes.md).
   */
  public static final List<TaskStage> DEFAULT_STAGES =
      List.of(new TaskStage(DEFAULT_STEPS / 3, Map.of(DetectionCodec.NAME, 1.0)));
  /** Caption tokens: the scene captions are short. */
  public static final int DEFAULT_MAX_CAPTION_TOKENS = 32;

  public DemoRecipe {
    if (model == null || scenes == null || budget == null || tasks == null
        || taskWeights == null || taskOptions == null) {
      throw new IllegalArgumentException("a demo recipe needs a model, scene options, tasks, "
          + "task weights, task options and a budget");
    }
    tasks = List.copyOf(tasks);
    taskWeights = Map.copyOf(taskWeights);
    stages = stages == null ? List.of() : List.copyOf(stages);
    taskOptions = Map.copyOf(taskOptions);
    if (coordBins < 2) {
      throw new IllegalArgumentException("coordBins must be >= 2, found " + coordBins);
    }
    if (heldoutSeed == scenes.seed()) {
      throw new IllegalArgumentException("heldoutSeed must differ from the training scenes' "
          + "seed, else the held-out images are training images; both are " + heldoutSeed);
    }
    positive("trainImages", trainImages);
    positive("heldoutImages", heldoutImages);
    if (tasks.isEmpty() || new HashSet<>(tasks).size() != tasks.size()) {
      throw new IllegalArgumentException("tasks must name distinct tasks, found " + tasks);
    }
    for (String t : tasks) {
      if (!ModelEvaluator.TASKS.contains(t)) {
        throw new IllegalArgumentException("the demo trains the built-in tasks "
            + ModelEvaluator.TASKS + ", found '" + t + "'");
      }
    }
    for (String t : taskWeights.keySet()) {
      if (!tasks.contains(t)) {
        throw new IllegalArgumentException("taskWeights names '" + t + "', which is not "
            + "among the tasks " + tasks);
      }
    }
    for (String t : taskOptions.keySet()) {
      if (!tasks.contains(t)) {
        throw new IllegalArgumentException("taskOptions names '" + t + "', which is not "
            + "among the tasks " + tasks);
      }
    }
    positive("textVocabSize", textVocabSize);
    if (budget.isNegative() || budget.isZero()) {
      throw new IllegalArgumentException("budget must be positive, found " + budget);
    }
    if (!(trainShare > 0 && trainShare <= 1)) {
      throw new IllegalArgumentException("trainShare must be in (0, 1], found " + trainShare);
    }
    positive("evalBatchSize", evalBatchSize);
    positive("segmentationSamples", segmentationSamples);
    if (pictures < 0) {
      throw new IllegalArgumentException("pictures must be >= 0, found " + pictures);
    }
    // steps, batch size, learning rate, warm-up, schedule, mixing and weights as TrainConfig
    // checks them
    trainConfig(tasks, taskWeights, mixing, steps, batchSize, learningRate, warmupSteps,
        schedule, seed, Device.CPU, stages);
  }

  private static void positive(String name, int value) {
    if (value < 1) {
      throw new IllegalArgumentException(name + " must be >= 1, found " + value);
    }
  }

  /** Every default in one place (see the constants). */
  public static DemoRecipe defaults() {
    Map<String, TaskOptions> options = new LinkedHashMap<>();
    options.put(DetectionCodec.NAME, DetectionOptions.defaults().withMaxObjects(DEFAULT_MAX_OBJECTS)
        .withObjectOrder(DetectionOptions.ObjectOrder.DISTANCE_TO_ORIGIN));
    options.put(SegmentationCodec.NAME, SegmentationOptions.defaults()
        .withMaxPoints(DEFAULT_MAX_POINTS).withRandomStartVertex(false));
    options.put(KeypointCodec.NAME,
        KeypointOptions.defaults().withInputInvisibleRate(DEFAULT_INPUT_CORRUPTION));
    options.put(CaptionCodec.NAME, DescribeOptions.defaults()
        .withMaxCaptionTokens(DEFAULT_MAX_CAPTION_TOKENS)
        .withInputFakeRate(DEFAULT_INPUT_CORRUPTION)
        .withCaptionChoice(DescribeOptions.CaptionChoice.FIRST)
        .withKeepOrientation(true));
    Map<String, Double> weights = new LinkedHashMap<>();
    for (String t : ModelEvaluator.TASKS) {
      weights.put(t, t.equals(SegmentationCodec.NAME) ? DEFAULT_SEGMENT_WEIGHT : 1.0);
    }
    return new DemoRecipe(
        ModelConfig.preset(DEFAULT_PRESET),
        DEFAULT_COORD_BINS,
        SceneOptions.defaults().withSeed(DEFAULT_TRAIN_SCENE_SEED),
        DEFAULT_HELDOUT_SEED,
        DEFAULT_TRAIN_IMAGES,
        DEFAULT_HELDOUT_IMAGES,
        ModelEvaluator.TASKS,
        DEFAULT_STEPS,
        DEFAULT_BATCH_SIZE,
        DEFAULT_LEARNING_RATE,
        DEFAULT_WARMUP_STEPS,
        DEFAULT_SCHEDULE,
        DEFAULT_MIXING,
        weights,
        options,
        DEFAULT_TEXT_VOCAB_SIZE,
        DEFAULT_SEED,
        DEFAULT_BUDGET,
        DEFAULT_TRAIN_SHARE,
        DEFAULT_EVAL_BATCH_SIZE,
        DEFAULT_SEGMENTATION_SAMPLES,
        DEFAULT_PICTURES,
        DEFAULT_STAGES);
  }

  /** The scenes of the held-out split: the training scenes' options with {@code heldoutSeed}. */
  public SceneOptions heldoutScenes() {
    return scenes.withSeed(heldoutSeed);
  }

  /** The training time of the multi-task model: the budget's train share. */
  public Duration trainingBudget() {
    return Duration.ofMillis(Math.round(budget.toMillis() * trainShare));
  }

  /** The multi-task training config. */
  public TrainConfig trainConfig(Device device) {
    return trainConfig(tasks, taskWeights, mixing, steps, batchSize, learningRate, warmupSteps,
        schedule, seed, device, stages);
  }

  /**
   * The config of a single-task model of the comparison: the task alone, {@code steps /
   * tasks} steps (at least 1) and warm-up scaled alike.
   *
   * @throws IllegalArgumentException if {@code task} is not among the tasks
   */
  public TrainConfig singleTaskConfig(String task, Device device) {
    if (!tasks.contains(task)) {
      throw new IllegalArgumentException("'" + task + "' is not among the tasks " + tasks);
    }
    int n = tasks.size();
    return trainConfig(List.of(task), Map.of(), mixing, Math.max(1, steps / n), batchSize,
        learningRate, warmupSteps / n, schedule, seed, device, List.of());
  }

  /** The options of the given tasks that the recipe sets. */
  public Map<String, TaskOptions> taskOptionsOf(List<String> trained) {
    Map<String, TaskOptions> out = new LinkedHashMap<>();
    for (String t : trained) {
      if (taskOptions.containsKey(t)) {
        out.put(t, taskOptions.get(t));
      }
    }
    return out;
  }

  /** Inference settings of the evaluation: the reference samplers, this batch and seed. */
  public InferenceConfig inferenceConfig(String backend, Device device) {
    InferenceConfig d = InferenceConfig.defaults();
    return new InferenceConfig(d.version(), backend, device, d.samplers(), segmentationSamples,
        evalBatchSize, seed);
  }

  private static TrainConfig trainConfig(List<String> tasks, Map<String, Double> weights,
      String mixing, int steps, int batchSize, double learningRate, int warmupSteps,
      String schedule, long seed, Device device, List<TaskStage> stages) {
    TrainConfig d = TrainConfig.defaults();
    return new TrainConfig(TrainConfig.CURRENT_VERSION, tasks, weights, mixing, steps,
        batchSize, learningRate, d.weightDecay(), d.beta1(), d.beta2(), warmupSteps, schedule,
        d.gradientClipNorm(), seed, 0, d.logEvery(), device, stages);
  }

  /** The recipe as JSON (the budget in seconds, task options as their plug-ins write them). */
  public ObjectNode toJson() {
    ObjectMapper mapper = ConfigIO.mapper();
    ObjectNode root = mapper.createObjectNode();
    root.set("model", mapper.valueToTree(model));
    root.put("coordBins", coordBins);
    root.set("scenes", mapper.valueToTree(scenes));
    root.put("heldoutSeed", heldoutSeed);
    root.put("trainImages", trainImages);
    root.put("heldoutImages", heldoutImages);
    ArrayNode t = root.putArray("tasks");
    tasks.forEach(t::add);
    root.put("steps", steps);
    root.put("batchSize", batchSize);
    root.put("learningRate", learningRate);
    root.put("warmupSteps", warmupSteps);
    root.put("schedule", schedule);
    root.put("mixing", mixing);
    root.set("taskWeights", mapper.valueToTree(new TreeMap<>(taskWeights)));
    ObjectNode options = root.putObject("taskOptions");
    new TreeMap<>(taskOptions).forEach((k, v) -> options.set(k, mapper.valueToTree(v)));
    root.put("textVocabSize", textVocabSize);
    root.put("seed", seed);
    root.put("budgetSeconds", budget.toMillis() / 1000.0);
    root.put("trainShare", trainShare);
    root.put("evalBatchSize", evalBatchSize);
    root.put("segmentationSamples", segmentationSamples);
    root.put("pictures", pictures);
    root.set("stages", mapper.valueToTree(stages));
    return root;
  }

  // ---- changed copies -------------------------------------------------------------------------

  /** This recipe with another model (e.g. a tiny one for tests). */
  public DemoRecipe withModel(ModelConfig newModel) {
    return new DemoRecipe(newModel, coordBins, scenes, heldoutSeed, trainImages, heldoutImages,
        tasks, steps, batchSize, learningRate, warmupSteps, schedule, mixing, taskWeights,
        taskOptions, textVocabSize, seed, budget, trainShare, evalBatchSize,
        segmentationSamples, pictures, stages);
  }

  /** This recipe with another vocabulary coordinate resolution. */
  public DemoRecipe withCoordBins(int bins) {
    return new DemoRecipe(model, bins, scenes, heldoutSeed, trainImages, heldoutImages,
        tasks, steps, batchSize, learningRate, warmupSteps, schedule, mixing, taskWeights,
        taskOptions, textVocabSize, seed, budget, trainShare, evalBatchSize,
        segmentationSamples, pictures, stages);
  }

  /** This recipe with other scenes (the held-out split keeps {@code heldoutSeed}). */
  public DemoRecipe withScenes(SceneOptions newScenes) {
    return new DemoRecipe(model, coordBins, newScenes, heldoutSeed, trainImages, heldoutImages,
        tasks, steps, batchSize, learningRate, warmupSteps, schedule, mixing, taskWeights,
        taskOptions, textVocabSize, seed, budget, trainShare, evalBatchSize,
        segmentationSamples, pictures, stages);
  }

  /** This recipe with other image counts. */
  public DemoRecipe withImages(int train, int heldout) {
    return new DemoRecipe(model, coordBins, scenes, heldoutSeed, train, heldout, tasks, steps,
        batchSize, learningRate, warmupSteps, schedule, mixing, taskWeights, taskOptions,
        textVocabSize, seed, budget, trainShare, evalBatchSize, segmentationSamples, pictures,
        stages);
  }

  /**
   * This recipe training only some of the tasks (weights, options and stage weights of others
   * dropped; a stage left without a task of positive weight is dropped).
   */
  public DemoRecipe withTasks(List<String> newTasks) {
    Map<String, Double> weights = new LinkedHashMap<>(taskWeights);
    weights.keySet().retainAll(newTasks);
    Map<String, TaskOptions> options = new LinkedHashMap<>(taskOptions);
    options.keySet().retainAll(newTasks);
    List<TaskStage> kept = new ArrayList<>();
    for (TaskStage stage : stages) {
      Map<String, Double> w = new LinkedHashMap<>(stage.taskWeights());
      w.keySet().retainAll(newTasks);
      if (w.values().stream().anyMatch(v -> v > 0)) {
        kept.add(new TaskStage(stage.steps(), w));
      }
    }
    return new DemoRecipe(model, coordBins, scenes, heldoutSeed, trainImages, heldoutImages,
        newTasks, steps, batchSize, learningRate, warmupSteps, schedule, mixing, weights,
        options, textVocabSize, seed, budget, trainShare, evalBatchSize, segmentationSamples,
        pictures, kept);
  }

  /**
   * This recipe with another optimisation schedule; the stages keep their share of the steps
   * (each at least one step).
   */
  public DemoRecipe withTraining(int newSteps, int newBatchSize, double newLearningRate,
      int newWarmupSteps) {
    List<TaskStage> scaled = new ArrayList<>();
    long staged = 0;
    for (TaskStage stage : stages) {
      int length = (int) Math.max(1, (long) stage.steps() * newSteps / steps);
      if (staged + length > newSteps) {
        break;
      }
      staged += length;
      scaled.add(new TaskStage(length, stage.taskWeights()));
    }
    return new DemoRecipe(model, coordBins, scenes, heldoutSeed, trainImages, heldoutImages,
        tasks, newSteps, newBatchSize, newLearningRate, newWarmupSteps, schedule, mixing,
        taskWeights, taskOptions, textVocabSize, seed, budget, trainShare, evalBatchSize,
        segmentationSamples, pictures, scaled);
  }

  /** This recipe with other task weights (absent tasks weigh 1). */
  public DemoRecipe withTaskWeights(Map<String, Double> weights) {
    return new DemoRecipe(model, coordBins, scenes, heldoutSeed, trainImages, heldoutImages,
        tasks, steps, batchSize, learningRate, warmupSteps, schedule, mixing, weights,
        taskOptions, textVocabSize, seed, budget, trainShare, evalBatchSize,
        segmentationSamples, pictures, stages);
  }

  /** This recipe with other task options (absent tasks: the plug-in's defaults). */
  public DemoRecipe withTaskOptions(Map<String, TaskOptions> options) {
    return new DemoRecipe(model, coordBins, scenes, heldoutSeed, trainImages, heldoutImages,
        tasks, steps, batchSize, learningRate, warmupSteps, schedule, mixing, taskWeights,
        options, textVocabSize, seed, budget, trainShare, evalBatchSize, segmentationSamples,
        pictures, stages);
  }

  /** This recipe with another caption tokenizer size. */
  public DemoRecipe withTextVocabSize(int size) {
    return new DemoRecipe(model, coordBins, scenes, heldoutSeed, trainImages, heldoutImages,
        tasks, steps, batchSize, learningRate, warmupSteps, schedule, mixing, taskWeights,
        taskOptions, size, seed, budget, trainShare, evalBatchSize, segmentationSamples,
        pictures, stages);
  }

  /** This recipe with another seed of training and sampling. */
  public DemoRecipe withSeed(long newSeed) {
    return new DemoRecipe(model, coordBins, scenes, heldoutSeed, trainImages, heldoutImages,
        tasks, steps, batchSize, learningRate, warmupSteps, schedule, mixing, taskWeights,
        taskOptions, textVocabSize, newSeed, budget, trainShare, evalBatchSize,
        segmentationSamples, pictures, stages);
  }

  /** This recipe with another time budget for the whole demo. */
  public DemoRecipe withBudget(Duration newBudget) {
    return new DemoRecipe(model, coordBins, scenes, heldoutSeed, trainImages, heldoutImages,
        tasks, steps, batchSize, learningRate, warmupSteps, schedule, mixing, taskWeights,
        taskOptions, textVocabSize, seed, newBudget, trainShare, evalBatchSize,
        segmentationSamples, pictures, stages);
  }

  /** This recipe with other training stages (an empty list for none). */
  public DemoRecipe withStages(List<TaskStage> newStages) {
    return new DemoRecipe(model, coordBins, scenes, heldoutSeed, trainImages, heldoutImages,
        tasks, steps, batchSize, learningRate, warmupSteps, schedule, mixing, taskWeights,
        taskOptions, textVocabSize, seed, budget, trainShare, evalBatchSize,
        segmentationSamples, pictures, newStages);
  }

  /** This recipe with other evaluation settings. */
  public DemoRecipe withEvaluation(int newEvalBatchSize, int newSegmentationSamples,
      int newPictures) {
    return new DemoRecipe(model, coordBins, scenes, heldoutSeed, trainImages, heldoutImages,
        tasks, steps, batchSize, learningRate, warmupSteps, schedule, mixing, taskWeights,
        taskOptions, textVocabSize, seed, budget, trainShare, newEvalBatchSize,
        newSegmentationSamples, newPictures, stages);
  }
}
