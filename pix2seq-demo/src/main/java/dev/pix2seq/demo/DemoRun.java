package dev.pix2seq.demo;

import dev.pix2seq.api.ConfigException;
import dev.pix2seq.api.Pix2seqException;
import dev.pix2seq.api.config.Device;
import dev.pix2seq.api.config.TrainConfig;
import dev.pix2seq.api.model.Backend;
import dev.pix2seq.data.synth.SyntheticDatasetWriter;
import dev.pix2seq.data.synth.SyntheticSceneGenerator;
import dev.pix2seq.demo.eval.EvaluationDataset;
import dev.pix2seq.demo.eval.ModelEvaluation;
import dev.pix2seq.demo.eval.ModelEvaluator;
import dev.pix2seq.demo.report.LossCurvePlot;
import dev.pix2seq.demo.report.LossHistory;
import dev.pix2seq.runtime.checkpoint.Checkpoint;
import dev.pix2seq.runtime.checkpoint.LoadedCheckpoint;
import dev.pix2seq.runtime.train.ProgressBar;
import dev.pix2seq.runtime.train.TrainingListener;
import dev.pix2seq.runtime.train.TrainingRun;
import dev.pix2seq.runtime.train.TrainingSummary;
import dev.pix2seq.tasks.TaskOptions;
import dev.pix2seq.tasks.TaskRegistry;
import dev.pix2seq.tokenizer.Vocabulary;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The end-to-end demo: synthetic data, one multi-task model trained on all four tasks under a
 * time budget, evaluation on held-out scenes, and a report. It writes:
 *
 * <pre>
 *   DIR/data/train/, DIR/data/heldout/   synthetic COCO datasets (two seeds)
 *   DIR/run/                             the training run (checkpoint/, metrics.jsonl)
 *   DIR/eval/                            COCO results files and metrics.json of the held-out split
 *   DIR/plots/loss.png, pr-*.png         loss curves, precision/recall curves
 *   DIR/pictures/image-ID-KIND.png       held-out images with predictions, one per task
 *   DIR/single-task/TASK/                single-task runs (with {@link Builder#optCompareSingleTask})
 *   DIR/report.md, DIR/report.json       the report ({@link DemoReport})
 * </pre>
 *
 * Everything it does is in the {@link DemoRecipe}; the time it may take is the recipe's {@code
 * budget} (see there how it is shared out). Same recipe, same backend and enough time for every
 * step: same numbers.
 *
 * <pre>{@code
 * DemoResult result = DemoRun.builder()
 *     .setOutput(Path.of("demo"))
 *     .setBackend(Backends.discover().select("djl"))
 *     .optRecipe(DemoRecipe.defaults().withBudget(Duration.ofMinutes(15)))
 *     .optStatus(System.out::println)
 *     .build()
 *     .run();
 * System.out.println(result.summary());
 * }</pre>
 *
 * <p>One instance runs once, on the caller's thread.
 */
public final class DemoRun {
  /** Folder of the two datasets. */
  public static final String DATA_DIR = "data";
  /** The training split inside {@link #DATA_DIR}. */
  public static final String TRAIN_SPLIT = "train";
  /** The held-out split inside {@link #DATA_DIR}. */
  public static final String HELDOUT_SPLIT = "heldout";
  /** The multi-task training run. */
  public static final String RUN_DIR = "run";
  /** The single-task runs, one folder per task. */
  public static final String SINGLE_TASK_DIR = "single-task";
  /** Results files and metrics of the evaluation. */
  public static final String EVAL_DIR = "eval";
  /** Loss and precision/recall plots. */
  public static final String PLOTS_DIR = "plots";
  /** Pictures of held-out images. */
  public static final String PICTURES_DIR = "pictures";
  /**
   * Class ids of the demo's packed vocabulary: room for the scenes' 5 categories and more; the
   * default layout's 900 class and 1,000 coordinate ids would make the output layer ten times
   * wider than the demo needs.
   */
  static final int VOCAB_CLASS_SLOTS = 16;

  private static final Logger LOG = LoggerFactory.getLogger(DemoRun.class);
  private static final Duration MIN_TRAINING = Duration.ofSeconds(1);
  private static final int RECENT_STEPS = 20;

  private final Path output;
  private final Backend backend;
  private final DemoRecipe recipe;
  private final Device device;
  private final boolean compareSingleTask;
  private final TrainingListener progress;
  private final Consumer<String> status;
  private final TaskRegistry registry;
  private boolean started;

  private DemoRun(Builder b) {
    this.output = b.output;
    this.backend = b.backend;
    this.recipe = b.recipe;
    this.device = b.device;
    this.compareSingleTask = b.compareSingleTask;
    this.progress = b.progress;
    this.status = b.status;
    this.registry = b.registry;
  }

  /** A builder; the output folder and the backend are required. */
  public static Builder builder() {
    return new Builder();
  }

  public DemoRecipe recipe() {
    return recipe;
  }

  /**
   * Runs the demo (see the class notes).
   *
   * @throws ConfigException if the output folder already holds a demo run, or the recipe does
   *     not fit the data or the model
   * @throws Pix2seqException if a dataset or a checkpoint cannot be written or read
   * @throws IOException if a result, plot, picture or the report cannot be written
   * @throws IllegalStateException when called twice
   */
  public DemoResult run() throws Pix2seqException, IOException {
    synchronized (this) {
      if (started) {
        throw new IllegalStateException("a demo runs once; build a new one");
      }
      started = true;
    }
    Instant startedAt = Instant.now();
    long start = System.nanoTime();
    Path runDir = output.resolve(RUN_DIR);
    checkFresh(runDir);
    List<String> tasks = recipe.tasks();
    if (compareSingleTask) {
      for (String task : tasks) {
        checkFresh(output.resolve(SINGLE_TASK_DIR).resolve(task));
      }
    }

    Path trainDir = output.resolve(DATA_DIR).resolve(TRAIN_SPLIT);
    Path heldoutDir = output.resolve(DATA_DIR).resolve(HELDOUT_SPLIT);
    status.accept(String.format(Locale.ROOT, "writing %d training and %d held-out scenes to %s",
        recipe.trainImages(), recipe.heldoutImages(), output.resolve(DATA_DIR)));
    new SyntheticDatasetWriter(new SyntheticSceneGenerator(recipe.scenes()))
        .write(trainDir, recipe.trainImages());
    new SyntheticDatasetWriter(new SyntheticSceneGenerator(recipe.heldoutScenes()))
        .write(heldoutDir, recipe.heldoutImages());
    double dataSeconds = seconds(start);

    Duration trainBudget = atLeast(recipe.trainingBudget()
        .minusMillis(Math.round(dataSeconds * 1000)), MIN_TRAINING);
    TrainConfig trainConfig = recipe.trainConfig(device);
    status.accept(String.format(Locale.ROOT, "training one model on %s for at most %d steps "
        + "or %s (backend %s)", tasks, trainConfig.steps(), minutes(trainBudget),
        backend.name()));
    long trainStart = System.nanoTime();
    LossHistory history = new LossHistory();
    TrainingSummary training = train(trainDir, runDir, trainConfig, trainBudget, history);
    double trainSeconds = seconds(trainStart);

    status.accept(String.format(Locale.ROOT, "evaluating on %d held-out scenes",
        recipe.heldoutImages()));
    long evalStart = System.nanoTime();
    EvaluationDataset heldout = EvaluationDataset.read(heldoutDir);
    ModelEvaluation evaluation = evaluate(runDir, heldout, tasks);
    Map<String, TaskOptions> trainedOptions = Checkpoint.readManifest(runDir).taskOptions();
    double evalSeconds = seconds(evalStart);
    status.accept(evaluation.summary());

    long comparisonStart = System.nanoTime();
    List<SingleTaskRun> singles = new ArrayList<>();
    Map<String, LossHistory> singleHistories = new LinkedHashMap<>();
    if (compareSingleTask) {
      Duration singleBudget = atLeast(trainBudget.dividedBy(tasks.size()), MIN_TRAINING);
      for (String task : tasks) {
        Path dir = output.resolve(SINGLE_TASK_DIR).resolve(task);
        TrainConfig config = recipe.singleTaskConfig(task, device);
        status.accept(String.format(Locale.ROOT, "comparison: training a %s-only model for at "
            + "most %d steps or %s", task, config.steps(), minutes(singleBudget)));
        LossHistory h = new LossHistory();
        long t0 = System.nanoTime();
        TrainingSummary s = train(trainDir, dir, config, singleBudget, h);
        double t = seconds(t0);
        long e0 = System.nanoTime();
        ModelEvaluation e = evaluate(dir, heldout, List.of(task));
        e.writeResults(dir.resolve(EVAL_DIR));
        e.writeMetrics(dir.resolve(EVAL_DIR).resolve(ModelEvaluation.METRICS_FILE));
        singles.add(new SingleTaskRun(task, s, e, t, seconds(e0)));
        singleHistories.put(task, h);
      }
    }
    double comparisonSeconds = compareSingleTask ? seconds(comparisonStart) : 0;

    long picturesStart = System.nanoTime();
    Path evalDir = output.resolve(EVAL_DIR);
    evaluation.writeResults(evalDir);
    evaluation.writeMetrics(evalDir.resolve(ModelEvaluation.METRICS_FILE));
    Path plotsDir = output.resolve(PLOTS_DIR);
    Map<String, Path> plots = new LinkedHashMap<>();
    Path lossPlot = plotsDir.resolve("loss.png");
    LossCurvePlot.write(lossPlot, "multi-task model", LossCurvePlot.series(history));
    plots.put("loss", lossPlot);
    if (!singleHistories.isEmpty()) {
      Map<String, List<LossHistory.Point>> series = new LinkedHashMap<>();
      singleHistories.forEach((task, h) -> series.put(task + " alone", h.total()));
      Path singlePlot = plotsDir.resolve("loss-single-task.png");
      LossCurvePlot.write(singlePlot, "single-task models", series);
      plots.put("loss-single-task", singlePlot);
    }
    for (Path pr : evaluation.writePrecisionRecallPlots(plotsDir)) {
      String name = pr.getFileName().toString();
      plots.put(name.substring(0, name.length() - ".png".length()), pr);
    }
    List<DemoPictures.PictureSet> pictures = DemoPictures.write(
        output.resolve(PICTURES_DIR), heldout, evaluation, recipe.pictures());
    double picturesSeconds = seconds(picturesStart);

    Map<String, Double> taskLosses = new LinkedHashMap<>();
    for (String task : tasks) {
      taskLosses.put(task, history.recentLoss(task, RECENT_STEPS));
    }
    DemoTimings timings = new DemoTimings(dataSeconds, trainSeconds, evalSeconds,
        comparisonSeconds, picturesSeconds, seconds(start));
    DemoReport report = new DemoReport(output, recipe, trainConfig, trainedOptions, training,
        history.imagesPerSecond(), taskLosses, evaluation, singles, pictures, plots, evalDir,
        DemoProvenance.now(backend.name(), recipe.seed(), startedAt), timings);
    Path markdown = report.write();
    LOG.info("demo finished in {}: {}", DemoReport.duration(timings.total()), markdown);
    return new DemoResult(output, markdown, output.resolve(DemoReport.JSON_FILE), report);
  }

  private TrainingSummary train(Path data, Path runDir, TrainConfig config, Duration budget,
      LossHistory history) throws Pix2seqException {
    TrainingRun.Builder b = TrainingRun.builder()
        .setDataset(data)
        .setModelConfig(recipe.model())
        .setTrainConfig(config)
        .setBackend(backend)
        .setOutput(runDir)
        .optTimeBudget(budget)
        .optTextVocabSize(recipe.textVocabSize())
        .optVocabLayout(
            Vocabulary.defaultLayout().packed(VOCAB_CLASS_SLOTS, recipe.coordBins()))
        .optListener(history);
    if (registry != null) {
      b.optTaskRegistry(registry);
    }
    if (progress != null) {
      b.optListener(progress);
    }
    recipe.taskOptionsOf(config.tasks()).forEach(b::optTaskOptions);
    return b.build().run();
  }

  private ModelEvaluation evaluate(Path runDir, EvaluationDataset heldout, List<String> tasks)
      throws Pix2seqException {
    try (LoadedCheckpoint checkpoint = Checkpoint.load(runDir, backend, device)) {
      ModelEvaluator.Builder b = ModelEvaluator.builder()
          .setCheckpoint(checkpoint)
          .setDataset(heldout)
          .optTasks(tasks)
          .optImageLimit(recipe.heldoutImages())
          .optInferenceConfig(recipe.inferenceConfig(backend.name(), device));
      if (registry != null) {
        b.optTaskRegistry(registry);
      }
      return b.build().evaluate();
    }
  }

  /** Refuses a run folder that already holds a checkpoint: a demo starts from scratch. */
  private static void checkFresh(Path runDir) throws ConfigException {
    if (Files.exists(runDir.resolve(Checkpoint.RUN_CHECKPOINT_DIR))) {
      throw new ConfigException(runDir + " already holds a training run; give the demo an "
          + "empty output folder (or delete the old one)");
    }
  }

  private static Duration atLeast(Duration d, Duration min) {
    return d.compareTo(min) < 0 ? min : d;
  }

  private static double seconds(long startNanos) {
    return (System.nanoTime() - startNanos) / 1e9;
  }

  private static String minutes(Duration d) {
    return DemoReport.duration(d.toMillis() / 1000.0);
  }

  /**
   * Builds a {@link DemoRun}: {@code set*} for the output folder and the backend, {@code opt*}
   * for the rest.
   */
  public static final class Builder {
    private Path output;
    private Backend backend;
    private DemoRecipe recipe = DemoRecipe.defaults();
    private Device device = Device.CPU;
    private boolean compareSingleTask;
    private TrainingListener progress;
    private boolean progressSet;
    private Consumer<String> status = LOG::info;
    private TaskRegistry registry;

    private Builder() {}

    /** The demo folder (created if absent; must not hold an earlier demo's training run). */
    public Builder setOutput(Path dir) {
      this.output = dir;
      return this;
    }

    /** The backend that trains and runs the models. */
    public Builder setBackend(Backend b) {
      this.backend = b;
      return this;
    }

    /** What to do (default {@link DemoRecipe#defaults()}). */
    public Builder optRecipe(DemoRecipe r) {
      this.recipe = r;
      return this;
    }

    /** Where to train and run (default CPU). */
    public Builder optDevice(Device d) {
      this.device = d;
      return this;
    }

    /**
     * Also train one model per task, each for the multi-task model's training time divided by
     * the task count, and report them side by side (default off: it about doubles the time).
     */
    public Builder optCompareSingleTask(boolean compare) {
      this.compareSingleTask = compare;
      return this;
    }

    /**
     * The observer of every training run, e.g. a progress bar (default {@link
     * ProgressBar#forStderr()}); null for none.
     */
    public Builder optProgress(TrainingListener listener) {
      this.progress = listener;
      this.progressSet = true;
      return this;
    }

    /** Receives a line at each phase and the evaluation's summary (default: the log). */
    public Builder optStatus(Consumer<String> lines) {
      if (lines == null) {
        throw new IllegalArgumentException("status must not be null; pass s -> {} for none");
      }
      this.status = lines;
      return this;
    }

    /** The task plug-ins (default: those found on the context class loader). */
    public Builder optTaskRegistry(TaskRegistry tasks) {
      this.registry = tasks;
      return this;
    }

    /** @throws IllegalArgumentException naming what is missing */
    public DemoRun build() {
      List<String> missing = new ArrayList<>();
      if (output == null) {
        missing.add("output");
      }
      if (backend == null) {
        missing.add("backend");
      }
      if (recipe == null) {
        missing.add("recipe");
      }
      if (device == null) {
        missing.add("device");
      }
      if (!missing.isEmpty()) {
        throw new IllegalArgumentException("a demo needs " + String.join(", ", missing));
      }
      if (!progressSet) {
        progress = ProgressBar.forStderr();
      }
      return new DemoRun(this);
    }
  }
}
