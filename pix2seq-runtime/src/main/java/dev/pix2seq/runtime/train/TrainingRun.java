package dev.pix2seq.runtime.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pix2seq.api.CheckpointException;
import dev.pix2seq.api.ConfigException;
import dev.pix2seq.api.DatasetException;
import dev.pix2seq.api.config.ConfigIO;
import dev.pix2seq.api.config.ModelConfig;
import dev.pix2seq.api.config.TrainConfig;
import dev.pix2seq.api.model.Backend;
import dev.pix2seq.api.model.Pix2seqModel;
import dev.pix2seq.api.vocab.VocabLayout;
import dev.pix2seq.api.training.LearningRateSchedule;
import dev.pix2seq.api.training.ModelTrainer;
import dev.pix2seq.api.training.StepResult;
import dev.pix2seq.api.training.WeightedBatch;
import dev.pix2seq.runtime.checkpoint.Checkpoint;
import dev.pix2seq.runtime.checkpoint.CheckpointManifest;
import dev.pix2seq.runtime.checkpoint.LoadedCheckpoint;
import dev.pix2seq.runtime.checkpoint.Provenance;
import dev.pix2seq.runtime.train.TrainingSummary.StopReason;
import dev.pix2seq.tasks.TaskContext;
import dev.pix2seq.tasks.TaskOptions;
import dev.pix2seq.tasks.TaskRegistry;
import dev.pix2seq.tasks.describe.CaptionCodec;
import dev.pix2seq.tasks.detect.DetectionCodec;
import dev.pix2seq.tasks.examples.ExampleBuilder;
import dev.pix2seq.tasks.examples.ExampleBuilders;
import dev.pix2seq.tasks.examples.ExampleOptions;
import dev.pix2seq.tasks.examples.ModelInputs;
import dev.pix2seq.tasks.keypoint.KeypointCodec;
import dev.pix2seq.tasks.segment.SegmentationCodec;
import dev.pix2seq.tokenizer.Vocabulary;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Trains a model on a COCO-format dataset with any backend, writing a run directory:
 *
 * <pre>
 *   RUN/checkpoint/      the latest checkpoint (model.json, vocab.json, tokenizer.json,
 *                        weights.safetensors, train-state/), replaced atomically at every save
 *   RUN/metrics.jsonl    a JSON line every logEvery steps and at the end: step, steps (in the
 *                        window), loss, taskLosses, gradientNorm (window means), learningRate,
 *                        imagesPerSecond (over the window), elapsedSeconds
 *   RUN/.lock            locked while a run trains, so two runs never write one directory
 * </pre>
 *
 * {@code Checkpoint.load(RUN, ...)} (and so {@code predict --model RUN}) reads the checkpoint.
 *
 * <p><b>What a run does.</b> A new run builds the vocabulary (the dataset's categories; when
 * {@code describe} is trained, a BPE caption tokenizer learned from the dataset's captions) and
 * the task options (the caller's, else the defaults, shrunk where the default does not fit the
 * model's {@code maxSequenceLength}), creates the network with the config's seed, then trains
 * {@code steps} optimiser steps: each step's batches come from {@code (seed, step)} alone (one
 * task drawn by weight in {@code sampled} mixing, one batch per task weighed in {@code summed}
 * mixing), the learning rate from {@link LearningRateSchedule}. The next step's batches are
 * prepared on a background thread while the backend trains. A checkpoint is saved every {@code
 * checkpointEvery} steps and at the end, also when the time budget runs out or {@link
 * #requestStop()} is called.
 *
 * <p><b>Resume.</b> With {@code optResume(true)} and a checkpoint in {@code RUN}, the run loads
 * model, vocabulary, task options, optimiser state and step from it and continues with exactly
 * the batches an uninterrupted run would have used. The configs given must match the saved ones
 * except for {@code steps} (training longer also stretches a decaying schedule), {@code
 * checkpointEvery}, {@code logEvery} and {@code device}.
 *
 * <pre>{@code
 * TrainingSummary s = TrainingRun.builder()
 *     .setDataset(Path.of("data/synth-train"))
 *     .setModelConfig(ModelConfig.preset("tiny"))
 *     .setTrainConfig(trainConfig)
 *     .setBackend(Backends.discover().select("djl"))
 *     .setOutput(Path.of("runs/tiny"))
 *     .optListener(ProgressBar.forStderr())
 *     .optTimeBudget(Duration.ofMinutes(10))
 *     .build()
 *     .run();
 * }</pre>
 *
 * <p>One instance runs once. {@link #run()} runs on the caller's thread; {@link #requestStop()}
 * may be called from any thread.
 */
public final class TrainingRun {
  /** The metrics file inside the run directory. */
  public static final String METRICS_FILE = MetricsLog.FILE;

  /** The lock file inside the run directory. */
  public static final String LOCK_FILE = ".lock";

  /** Default size of the caption tokenizer's vocabulary (text tokens). */
  public static final int DEFAULT_TEXT_VOCAB_SIZE = 2000;

  private static final Logger LOG = LoggerFactory.getLogger(TrainingRun.class);
  private static final ObjectMapper MAPPER = ConfigIO.mapper();
  private static final Set<String> RESUME_MAY_CHANGE =
      Set.of("steps", "checkpointEvery", "logEvery", "device");
  private static final Set<String> BUILT_IN_TASKS =
      Set.of(DetectionCodec.NAME, SegmentationCodec.NAME, KeypointCodec.NAME, CaptionCodec.NAME);

  private final Path dataset;
  private final ModelConfig modelConfig;
  private final TrainConfig trainConfig;
  private final Backend backend;
  private final Path output;
  private final Map<String, TaskOptions> taskOptions;
  private final TaskRegistry registry;
  private final Map<String, ExampleBuilderFactory> exampleBuilders;
  private final Duration timeBudget;
  private final boolean resume;
  private final List<TrainingListener> listeners;
  private final int textVocabSize;
  private final VocabLayout vocabLayout;
  private volatile boolean stopRequested;
  private boolean started;

  private TrainingRun(Builder b) {
    this.dataset = b.dataset;
    this.modelConfig = b.modelConfig;
    this.trainConfig = b.trainConfig;
    this.backend = b.backend;
    this.output = b.output;
    this.taskOptions = Map.copyOf(b.taskOptions);
    this.registry = b.registry;
    this.exampleBuilders = Map.copyOf(b.exampleBuilders);
    this.timeBudget = b.timeBudget;
    this.resume = b.resume;
    this.listeners = List.copyOf(b.listeners);
    this.textVocabSize = b.textVocabSize;
    this.vocabLayout = b.vocabLayout;
  }

  /** A builder; dataset, configs, backend and output are required. */
  public static Builder builder() {
    return new Builder();
  }

  /** The checkpoint directory of a run directory. */
  public static Path checkpointDir(Path runDirectory) {
    return runDirectory.resolve(Checkpoint.RUN_CHECKPOINT_DIR);
  }

  /**
   * Asks the run to stop after the step in progress; it then saves a checkpoint and returns.
   * Thread-safe.
   */
  public void requestStop() {
    stopRequested = true;
  }

  /**
   * Trains (see the class notes) and returns how the session ended.
   *
   * @throws DatasetException naming the file when the dataset cannot be read (annotations,
   *     image files) or a task has nothing to learn from
   * @throws ConfigException when the configs do not fit each other, the dataset or a resumed
   *     checkpoint, when the output holds a checkpoint and resume was not asked for, or when
   *     another run uses the output directory
   * @throws CheckpointException when a checkpoint cannot be written or a resumed one read
   * @throws IllegalStateException when called twice
   */
  public TrainingSummary run() throws DatasetException, ConfigException, CheckpointException {
    synchronized (this) {
      if (started) {
        throw new IllegalStateException("a training run runs once; build a new one");
      }
      started = true;
    }
    try {
      Files.createDirectories(output);
    } catch (IOException e) {
      throw new ConfigException(output + ": cannot create the run directory: " + e.getMessage(),
          e);
    }
    RunLock lock = RunLock.acquire(output.resolve(LOCK_FILE));
    try {
      return runLocked();
    } finally {
      lock.close();
    }
  }

  private TrainingSummary runLocked()
      throws DatasetException, ConfigException, CheckpointException {
    for (String task : trainConfig.tasks()) {
      if (!registry.contains(task)) {
        throw new ConfigException("unknown task '" + task + "' in TrainConfig.tasks; known "
            + "tasks: " + String.join(", ", registry.taskNames()));
      }
      if (!BUILT_IN_TASKS.contains(task) && !exampleBuilders.containsKey(task)) {
        throw new ConfigException("task '" + task + "' has no example builder; give one with "
            + "TrainingRun.Builder.optExampleBuilder");
      }
    }
    Path checkpointDir = checkpointDir(output);
    boolean hasCheckpoint = hasCheckpoint(checkpointDir);
    if (hasCheckpoint && !resume) {
      throw new ConfigException(output + " already holds a checkpoint; resume it or choose "
          + "another output directory");
    }
    TrainingData data = TrainingData.read(dataset, trainConfig.tasks());
    TrainingState.DatasetSummary datasetSummary = new TrainingState.DatasetSummary(
        dataset.toString(), data.dataset().images().size(),
        data.dataset().annotations().size(), data.dataset().captions().size());
    if (hasCheckpoint) {
      LoadedCheckpoint loaded = Checkpoint.load(checkpointDir, backend, trainConfig.device());
      try (loaded) {
        TrainingState state = TrainingState.read(
            loaded.directory().resolve(Checkpoint.TRAIN_STATE_DIR));
        checkResumable(loaded, state, datasetSummary);
        try (ModelTrainer trainer = backend.trainer(loaded.model(), trainConfig)) {
          trainer.loadState(loaded.directory().resolve(Checkpoint.TRAIN_STATE_DIR));
          if (trainer.steps() != state.step()) {
            throw new CheckpointException(loaded.directory().resolve(Checkpoint.TRAIN_STATE_DIR)
                + ": the optimiser state is at step " + trainer.steps() + " but "
                + TrainingState.FILE + " says " + state.step());
          }
          LOG.info("resuming {} at step {} of {}", output, state.step(), trainConfig.steps());
          return new Session(data, datasetSummary, loaded.model(), trainer, loaded.context(),
              state.step(), state.elapsedSeconds(), state.imagesSeen()).train();
        }
      }
    }
    Vocabulary vocabulary = TrainingVocabulary.build(data, trainConfig.tasks(), textVocabSize, vocabLayout);
    Map<String, TaskOptions> options = TaskOptionsFit.fit(registry, vocabulary,
        trainConfig.tasks(), taskOptions, modelConfig.maxSequenceLength());
    TaskContext context = new TaskContext(vocabulary, options);
    try (Pix2seqModel model = CoordinateEmbeddingInit.applyTo(
            backend.create(modelConfig, vocabulary.size(), trainConfig.device(), trainConfig.seed()),
            backend, vocabulary.layout(), trainConfig.device());
        ModelTrainer trainer = backend.trainer(model, trainConfig)) {
      return new Session(data, datasetSummary, model, trainer, context, 0, 0, 0).train();
    }
  }

  private static boolean hasCheckpoint(Path checkpointDir) {
    try {
      Checkpoint.resolve(checkpointDir);
      return true;
    } catch (CheckpointException e) {
      return false;
    }
  }

  private void checkResumable(
      LoadedCheckpoint loaded, TrainingState state, TrainingState.DatasetSummary current)
      throws ConfigException {
    Path manifest = loaded.directory().resolve(Checkpoint.MODEL_FILE);
    List<String> modelDiff = differences(loaded.manifest().model(), modelConfig, Set.of());
    if (!modelDiff.isEmpty()) {
      throw new ConfigException("cannot resume " + output + ": the model config differs from "
          + manifest + " in " + String.join(", ", modelDiff));
    }
    Path stateFile = loaded.directory().resolve(Checkpoint.TRAIN_STATE_DIR)
        .resolve(TrainingState.FILE);
    List<String> trainDiff = differences(state.trainConfig(), trainConfig, RESUME_MAY_CHANGE);
    if (!trainDiff.isEmpty()) {
      throw new ConfigException("cannot resume " + output + ": the training config differs "
          + "from " + stateFile + " in " + String.join(", ", trainDiff)
          + " (only " + new java.util.TreeSet<>(RESUME_MAY_CHANGE) + " may change)");
    }
    if (state.trainConfig().steps() != trainConfig.steps()) {
      LOG.warn("resuming with steps={} instead of {}: the learning-rate schedule changes",
          trainConfig.steps(), state.trainConfig().steps());
    }
    for (Map.Entry<String, TaskOptions> e : taskOptions.entrySet()) {
      TaskOptions saved = loaded.manifest().taskOptions().get(e.getKey());
      if (!e.getValue().equals(saved)) {
        throw new ConfigException("cannot resume " + output + ": options of task '"
            + e.getKey() + "' differ from those in " + manifest + ": " + e.getValue() + " vs "
            + saved);
      }
    }
    TrainingState.DatasetSummary saved = state.dataset();
    if (saved.images() != current.images() || saved.annotations() != current.annotations()
        || saved.captions() != current.captions()) {
      LOG.warn("resuming on a dataset that differs from the one trained so far ({} images, {} "
          + "annotations, {} captions, now {}, {}, {}): batches will differ from an "
          + "uninterrupted run", saved.images(), saved.annotations(), saved.captions(),
          current.images(), current.annotations(), current.captions());
    }
  }

  /** Names of the top-level JSON fields in which two configs differ, except {@code allowed}. */
  private static List<String> differences(Object saved, Object given, Set<String> allowed) {
    JsonNode a = MAPPER.valueToTree(saved);
    JsonNode b = MAPPER.valueToTree(given);
    List<String> out = new ArrayList<>();
    Map<String, JsonNode> fields = new TreeMap<>();
    for (Iterator<String> it = a.fieldNames(); it.hasNext(); ) {
      String f = it.next();
      fields.put(f, a.get(f));
    }
    for (Iterator<String> it = b.fieldNames(); it.hasNext(); ) {
      fields.putIfAbsent(it.next(), null);
    }
    for (String f : fields.keySet()) {
      if (!allowed.contains(f) && !Objects.equals(a.get(f), b.get(f))) {
        out.add(f + " (saved " + a.get(f) + ", given " + b.get(f) + ")");
      }
    }
    return out;
  }

  private Map<String, ExampleBuilder> exampleBuilders(TaskContext context) {
    ExampleOptions options = ExampleOptions.training(modelConfig.imageSize());
    List<String> builtIn = trainConfig.tasks().stream()
        .filter(t -> BUILT_IN_TASKS.contains(t) && !exampleBuilders.containsKey(t))
        .toList();
    Map<String, ExampleBuilder> builtInBuilders =
        ExampleBuilders.builtIn(registry, context, options, builtIn);
    ModelInputs inputs = new ModelInputs(options, context.vocabulary().categories());
    Map<String, ExampleBuilder> out = new LinkedHashMap<>();
    for (String task : trainConfig.tasks()) {
      ExampleBuilderFactory factory = exampleBuilders.get(task);
      out.put(task, factory != null ? factory.create(context, inputs) : builtInBuilders.get(task));
    }
    return out;
  }

  /** One training session: the loop over steps with its model, trainer and outputs. */
  private final class Session {
    private final TrainingData data;
    private final TrainingState.DatasetSummary datasetSummary;
    private final Pix2seqModel model;
    private final ModelTrainer trainer;
    private final TaskContext context;
    private final long firstStep;
    private final double priorSeconds;
    private long imagesSeen;
    private long sessionStart;

    Session(TrainingData data, TrainingState.DatasetSummary datasetSummary, Pix2seqModel model,
        ModelTrainer trainer, TaskContext context, long firstStep, double priorSeconds,
        long imagesSeen) {
      this.data = data;
      this.datasetSummary = datasetSummary;
      this.model = model;
      this.trainer = trainer;
      this.context = context;
      this.firstStep = firstStep;
      this.priorSeconds = priorSeconds;
      this.imagesSeen = imagesSeen;
    }

    TrainingSummary train() throws DatasetException, ConfigException, CheckpointException {
      StepBatches batches = new StepBatches(data, exampleBuilders(context), trainConfig,
          context.vocabulary().layout().pad(), modelConfig.maxSequenceLength());
      LearningRateSchedule schedule = LearningRateSchedule.of(trainConfig);
      long total = trainConfig.steps();
      long step = firstStep;
      long lastSaved = firstStep > 0 ? firstStep : -1;
      double lastLoss = Double.NaN;
      StopReason reason = StopReason.COMPLETED;
      boolean interrupted = false;
      MetricsLog metrics = openMetrics(firstStep, priorSeconds);
      sessionStart = System.nanoTime();
      try (metrics; BatchPrefetcher prefetcher = new BatchPrefetcher(batches)) {
        for (TrainingListener l : listeners) {
          l.onStart(firstStep, total);
        }
        StepMetrics last = null;
        while (step < total) {
          if (stopRequested) {
            reason = StopReason.STOP_REQUESTED;
            break;
          }
          if (timeBudget != null && System.nanoTime() - sessionStart >= timeBudget.toNanos()) {
            reason = StopReason.TIME_BUDGET;
            LOG.info("time budget of {} used up at step {}", timeBudget, step);
            break;
          }
          long t0 = System.nanoTime();
          List<WeightedBatch> stepBatches;
          try {
            stepBatches = prefetcher.take(step);
          } catch (InterruptedException e) {
            interrupted = true;
            reason = StopReason.STOP_REQUESTED;
            break;
          }
          if (step + 1 < total) {
            prefetcher.prefetch(step + 1);
          }
          StepResult result = trainer.step(stepBatches, schedule.rate(step));
          step++;
          int rows = stepBatches.stream().mapToInt(b -> b.batch().size()).sum();
          imagesSeen += rows;
          double seconds = (System.nanoTime() - t0) / 1e9;
          last = new StepMetrics(step, total,
              stepBatches.stream().map(b -> b.batch().task()).toList(), result.loss(),
              result.taskLosses(), result.learningRate(), result.gradientNorm(), rows,
              seconds > 0 ? rows / seconds : 0, elapsedSeconds());
          lastLoss = result.loss();
          for (TrainingListener l : listeners) {
            l.onStep(last);
          }
          metrics.add(last);
          if (step % trainConfig.logEvery() == 0 || step == total) {
            writeMetrics(metrics, last);
          }
          if (trainConfig.checkpointEvery() > 0 && step % trainConfig.checkpointEvery() == 0
              && step < total) {
            save(step);
            lastSaved = step;
          }
          if (Thread.interrupted()) {
            interrupted = true;
            reason = StopReason.STOP_REQUESTED;
            break;
          }
        }
        if (last != null) {
          writeMetrics(metrics, last);
        }
      } catch (IOException e) {
        throw new ConfigException(metrics.file() + ": cannot close: " + e.getMessage(), e);
      } finally {
        if (interrupted) {
          Thread.interrupted();
        }
      }
      try {
        if (lastSaved != step) {
          save(step);
        }
      } finally {
        if (interrupted) {
          Thread.currentThread().interrupt();
        }
      }
      TrainingSummary summary = new TrainingSummary(output, checkpointDir(output), firstStep,
          step, total, lastLoss, elapsedSeconds(), reason);
      for (TrainingListener l : listeners) {
        l.onFinish(summary);
      }
      return summary;
    }

    private double elapsedSeconds() {
      return priorSeconds + (System.nanoTime() - sessionStart) / 1e9;
    }

    private MetricsLog openMetrics(long keepUpToStep, double startSeconds)
        throws ConfigException {
      try {
        return MetricsLog.open(output, keepUpToStep, startSeconds);
      } catch (IOException e) {
        throw new ConfigException(output.resolve(METRICS_FILE) + ": cannot open: "
            + e.getMessage(), e);
      }
    }

    private void writeMetrics(MetricsLog metrics, StepMetrics last) throws ConfigException {
      try {
        metrics.write(last);
      } catch (IOException e) {
        throw new ConfigException(metrics.file() + ": cannot write: " + e.getMessage(), e);
      }
    }

    private void save(long step) throws CheckpointException {
      TrainingState state = new TrainingState(TrainingState.CURRENT_VERSION, step, trainConfig,
          elapsedSeconds(), imagesSeen, datasetSummary);
      CheckpointManifest manifest = CheckpointManifest.of(model, context, trainConfig.tasks(),
          Provenance.now(backend.name(), step));
      Path dir = checkpointDir(output);
      Checkpoint.save(dir, model, context.vocabulary(), manifest, stateDir -> {
        trainer.saveState(stateDir);
        state.write(stateDir);
      });
      LOG.debug("checkpoint at step {} saved to {}", step, dir);
      for (TrainingListener l : listeners) {
        l.onCheckpoint(step, dir);
      }
    }
  }

  /** The run directory's lock, held while training. */
  private record RunLock(FileChannel channel, FileLock lock) implements AutoCloseable {
    static RunLock acquire(Path file) throws ConfigException {
      FileChannel channel = null;
      try {
        channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock lock = channel.tryLock();
        if (lock == null) {
          throw new ConfigException(file.getParent() + " is used by another training run ("
              + file + " is locked)");
        }
        return new RunLock(channel, lock);
      } catch (OverlappingFileLockException e) {
        closeQuietly(channel);
        throw new ConfigException(file.getParent() + " is used by another training run in this "
            + "process (" + file + " is locked)", e);
      } catch (IOException e) {
        closeQuietly(channel);
        throw new ConfigException(file + ": cannot lock the run directory: " + e.getMessage(), e);
      } catch (ConfigException e) {
        closeQuietly(channel);
        throw e;
      }
    }

    private static void closeQuietly(FileChannel channel) {
      if (channel != null) {
        try {
          channel.close();
        } catch (IOException ignored) {
          // the lock attempt already failed; that is the error to report
        }
      }
    }

    @Override
    public void close() {
      try {
        lock.release();
        channel.close();
      } catch (IOException e) {
        LOG.warn("cannot release the run lock: {}", e.getMessage());
      }
    }
  }

  /**
   * Builds a {@link TrainingRun}: {@code set*} for the required parts, {@code opt*} for the
   * optional ones; {@link #build()} checks them.
   */
  public static final class Builder {
    private Path dataset;
    private ModelConfig modelConfig;
    private TrainConfig trainConfig;
    private Backend backend;
    private Path output;
    private final Map<String, TaskOptions> taskOptions = new LinkedHashMap<>();
    private TaskRegistry registry;
    private final Map<String, ExampleBuilderFactory> exampleBuilders = new LinkedHashMap<>();
    private Duration timeBudget;
    private boolean resume;
    private final List<TrainingListener> listeners = new ArrayList<>();
    private int textVocabSize = DEFAULT_TEXT_VOCAB_SIZE;
    private VocabLayout vocabLayout = Vocabulary.defaultLayout();

    private Builder() {}

    /** The COCO-format dataset directory (images/, annotations/instances.json, captions.json). */
    public Builder setDataset(Path dir) {
      this.dataset = dir;
      return this;
    }

    public Builder setModelConfig(ModelConfig config) {
      this.modelConfig = config;
      return this;
    }

    public Builder setTrainConfig(TrainConfig config) {
      this.trainConfig = config;
      return this;
    }

    public Builder setBackend(Backend backend) {
      this.backend = backend;
      return this;
    }

    /** The run directory (created if absent). */
    public Builder setOutput(Path dir) {
      this.output = dir;
      return this;
    }

    /** Options of one task (else its defaults, shrunk to fit the sequence length). */
    public Builder optTaskOptions(String task, TaskOptions options) {
      if (task == null || options == null) {
        throw new IllegalArgumentException("task options need a task name and options");
      }
      taskOptions.put(task, options);
      return this;
    }

    /** The tasks known (default: the plug-ins found on the context class loader). */
    public Builder optTaskRegistry(TaskRegistry tasks) {
      this.registry = tasks;
      return this;
    }

    /** The example builder of a plug-in task (or a replacement for a built-in one). */
    public Builder optExampleBuilder(String task, ExampleBuilderFactory factory) {
      if (task == null || factory == null) {
        throw new IllegalArgumentException("an example builder needs a task name and a factory");
      }
      exampleBuilders.put(task, factory);
      return this;
    }

    /** Stop (and save) once this much wall time has gone into the session's steps. */
    public Builder optTimeBudget(Duration budget) {
      this.timeBudget = budget;
      return this;
    }

    /** Continue from the checkpoint in the output directory, when there is one. */
    public Builder optResume(boolean resumeRun) {
      this.resume = resumeRun;
      return this;
    }

    /** Adds an observer of the run. */
    public Builder optListener(TrainingListener listener) {
      if (listener == null) {
        throw new IllegalArgumentException("listener must not be null");
      }
      listeners.add(listener);
      return this;
    }

    /** Most text tokens of the caption tokenizer (default {@value #DEFAULT_TEXT_VOCAB_SIZE}). */
    public Builder optTextVocabSize(int size) {
      this.textVocabSize = size;
      return this;
    }

    /**
     * The run.
     *
     * @throws IllegalArgumentException naming what is missing or invalid
     */
    /**
     * The vocabulary layout of a new model (default: {@link Vocabulary#defaultLayout()}), e.g.
     * with fewer coordinate bins ({@link VocabLayout#withCoordBins(int)}). A resumed run keeps
     * its checkpoint's layout.
     */
    public Builder optVocabLayout(VocabLayout layout) {
      if (layout == null) {
        throw new IllegalArgumentException("vocabulary layout must not be null");
      }
      this.vocabLayout = layout;
      return this;
    }

    public TrainingRun build() {
      List<String> missing = new ArrayList<>();
      if (dataset == null) {
        missing.add("dataset");
      }
      if (modelConfig == null) {
        missing.add("modelConfig");
      }
      if (trainConfig == null) {
        missing.add("trainConfig");
      }
      if (backend == null) {
        missing.add("backend");
      }
      if (output == null) {
        missing.add("output");
      }
      if (!missing.isEmpty()) {
        throw new IllegalArgumentException("a training run needs " + String.join(", ", missing));
      }
      if (!backend.trains()) {
        throw new IllegalArgumentException("the " + backend.name() + " backend runs inference "
            + "only; train with a backend that trains");
      }
      if (timeBudget != null && (timeBudget.isNegative() || timeBudget.isZero())) {
        throw new IllegalArgumentException("time budget must be positive, found " + timeBudget);
      }
      if (textVocabSize < 1) {
        throw new IllegalArgumentException(
            "textVocabSize must be >= 1, found " + textVocabSize);
      }
      for (String task : taskOptions.keySet()) {
        if (!trainConfig.tasks().contains(task)) {
          throw new IllegalArgumentException("options are given for task '" + task
              + "', which is not among the trained tasks " + trainConfig.tasks());
        }
      }
      if (registry == null) {
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        registry = TaskRegistry.discover(
            loader != null ? loader : TrainingRun.class.getClassLoader());
      }
      return new TrainingRun(this);
    }
  }
}
