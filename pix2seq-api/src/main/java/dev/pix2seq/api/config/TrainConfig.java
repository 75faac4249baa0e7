package dev.pix2seq.api.config;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How to train: tasks and their mixing, optimiser (AdamW), schedule, checkpoints, seeds and
 * device. {@link #defaults()} holds every default; JSON overrides fields by name.
 *
 * @param version config format version ({@link #CURRENT_VERSION})
 * @param tasks task names trained, e.g. {@code ["detect", "describe"]}
 * @param taskWeights relative weight of each task (batch-sampling probability, or loss weight
 *     when {@code mixing} is {@code summed}); tasks absent here weigh 1
 * @param mixing {@code sampled}: each batch holds one task drawn by weight; {@code summed}: one
 *     batch per task per step, losses summed by weight
 * @param steps optimiser steps
 * @param batchSize examples per batch
 * @param learningRate peak learning rate
 * @param weightDecay decoupled weight decay (AdamW)
 * @param beta1 Adam beta1
 * @param beta2 Adam beta2
 * @param warmupSteps linear warm-up steps
 * @param schedule decay after warm-up: {@code linear}, {@code cosine} or {@code constant}
 * @param gradientClipNorm global gradient-norm clip; 0 turns clipping off
 * @param seed seed of every random choice (weights, data order, augmentation, noise)
 * @param checkpointEvery steps between checkpoints; 0 saves only at the end
 * @param logEvery steps between metric lines
 * @param device where to train
 * @param stages spans of steps at the start of the run with task weights of their own, in
 *     order (e.g. detection alone first); the steps after the last stage use {@code
 *     taskWeights}; empty (or absent in JSON) for none
 */
public record TrainConfig(
    int version,
    List<String> tasks,
    Map<String, Double> taskWeights,
    String mixing,
    int steps,
    int batchSize,
    double learningRate,
    double weightDecay,
    double beta1,
    double beta2,
    int warmupSteps,
    String schedule,
    double gradientClipNorm,
    long seed,
    int checkpointEvery,
    int logEvery,
    Device device,
    List<TaskStage> stages) {

  /** The config format this code reads and writes. */
  public static final int CURRENT_VERSION = 1;

  private static final List<String> MIXINGS = List.of("sampled", "summed");
  private static final List<String> SCHEDULES = List.of("linear", "cosine", "constant");

  public TrainConfig {
    ConfigChecks.version("TrainConfig", version, CURRENT_VERSION);
    tasks = List.copyOf(tasks);
    taskWeights = Map.copyOf(taskWeights);
    if (tasks.isEmpty()) {
      throw new IllegalArgumentException("tasks must name at least one task");
    }
    for (Map.Entry<String, Double> e : taskWeights.entrySet()) {
      if (!(e.getValue() >= 0)) {
        throw new IllegalArgumentException(
            "taskWeights." + e.getKey() + " must be >= 0, found " + e.getValue());
      }
    }
    if (!MIXINGS.contains(mixing)) {
      throw new IllegalArgumentException("mixing must be one of " + MIXINGS + ", found " + mixing);
    }
    if (!SCHEDULES.contains(schedule)) {
      throw new IllegalArgumentException(
          "schedule must be one of " + SCHEDULES + ", found " + schedule);
    }
    ConfigChecks.positive("steps", steps);
    ConfigChecks.positive("batchSize", batchSize);
    ConfigChecks.positive("logEvery", logEvery);
    if (!(learningRate > 0)) {
      throw new IllegalArgumentException("learningRate must be > 0, found " + learningRate);
    }
    ConfigChecks.nonNegative("weightDecay", weightDecay);
    ConfigChecks.rate("beta1", beta1);
    ConfigChecks.rate("beta2", beta2);
    ConfigChecks.nonNegative("warmupSteps", warmupSteps);
    ConfigChecks.nonNegative("gradientClipNorm", gradientClipNorm);
    ConfigChecks.nonNegative("checkpointEvery", checkpointEvery);
    if (device == null) {
      throw new IllegalArgumentException("device must be cpu or gpu");
    }
    stages = stages == null ? List.of() : List.copyOf(stages);
    long staged = 0;
    for (int i = 0; i < stages.size(); i++) {
      for (String task : stages.get(i).taskWeights().keySet()) {
        if (!tasks.contains(task)) {
          throw new IllegalArgumentException("stages[" + i + "] weighs '" + task
              + "', which is not among the tasks " + tasks);
        }
      }
      staged += stages.get(i).steps();
    }
    if (staged > steps) {
      throw new IllegalArgumentException("the stages last " + staged + " steps, more than the "
          + steps + " steps of the run");
    }
  }

  /**
   * The weight of every task at step {@code step} (0-based), in the order of {@code tasks}:
   * the stage's (0 for tasks it does not name) while a stage lasts, then {@link #weightOf}.
   */
  public Map<String, Double> weightsAt(long step) {
    long end = 0;
    Map<String, Double> out = new LinkedHashMap<>();
    for (TaskStage stage : stages) {
      end += stage.steps();
      if (step < end) {
        for (String task : tasks) {
          out.put(task, stage.taskWeights().getOrDefault(task, 0.0));
        }
        return out;
      }
    }
    for (String task : tasks) {
      out.put(task, weightOf(task));
    }
    return out;
  }

  /** Every default in one place (AdamW settings follow the Pix2seq reference). */
  public static TrainConfig defaults() {
    return new TrainConfig(
        CURRENT_VERSION,
        List.of("detect", "segment", "keypoint", "describe"),
        Map.of(),
        "sampled",
        1000,
        16,
        1e-3,
        0.05,
        0.9,
        0.95,
        100,
        "linear",
        1.0,
        42L,
        0,
        10,
        Device.CPU,
        List.of());
  }

  // Copies with one setting changed, each checked as the constructor checks it:
  // TrainConfig.defaults().withTasks(List.of("detect")).withSteps(500).withBatchSize(8)

  /** This config with the trained tasks. */
  public TrainConfig withTasks(List<String> tasks) {
    return new TrainConfig(version, tasks, taskWeights, mixing, steps, batchSize, learningRate,
        weightDecay, beta1, beta2, warmupSteps, schedule, gradientClipNorm, seed, checkpointEvery,
        logEvery, device, stages);
  }

  /** This config with the task weights. */
  public TrainConfig withTaskWeights(Map<String, Double> taskWeights) {
    return new TrainConfig(version, tasks, taskWeights, mixing, steps, batchSize, learningRate,
        weightDecay, beta1, beta2, warmupSteps, schedule, gradientClipNorm, seed, checkpointEvery,
        logEvery, device, stages);
  }

  /** This config with the mixing ({@code sampled} or {@code summed}). */
  public TrainConfig withMixing(String mixing) {
    return new TrainConfig(version, tasks, taskWeights, mixing, steps, batchSize, learningRate,
        weightDecay, beta1, beta2, warmupSteps, schedule, gradientClipNorm, seed, checkpointEvery,
        logEvery, device, stages);
  }

  /** This config with the number of steps. */
  public TrainConfig withSteps(int steps) {
    return new TrainConfig(version, tasks, taskWeights, mixing, steps, batchSize, learningRate,
        weightDecay, beta1, beta2, warmupSteps, schedule, gradientClipNorm, seed, checkpointEvery,
        logEvery, device, stages);
  }

  /** This config with the batch size. */
  public TrainConfig withBatchSize(int batchSize) {
    return new TrainConfig(version, tasks, taskWeights, mixing, steps, batchSize, learningRate,
        weightDecay, beta1, beta2, warmupSteps, schedule, gradientClipNorm, seed, checkpointEvery,
        logEvery, device, stages);
  }

  /** This config with the peak learning rate. */
  public TrainConfig withLearningRate(double learningRate) {
    return new TrainConfig(version, tasks, taskWeights, mixing, steps, batchSize, learningRate,
        weightDecay, beta1, beta2, warmupSteps, schedule, gradientClipNorm, seed, checkpointEvery,
        logEvery, device, stages);
  }

  /** This config with the weight decay. */
  public TrainConfig withWeightDecay(double weightDecay) {
    return new TrainConfig(version, tasks, taskWeights, mixing, steps, batchSize, learningRate,
        weightDecay, beta1, beta2, warmupSteps, schedule, gradientClipNorm, seed, checkpointEvery,
        logEvery, device, stages);
  }

  /** This config with the warm-up steps. */
  public TrainConfig withWarmupSteps(int warmupSteps) {
    return new TrainConfig(version, tasks, taskWeights, mixing, steps, batchSize, learningRate,
        weightDecay, beta1, beta2, warmupSteps, schedule, gradientClipNorm, seed, checkpointEvery,
        logEvery, device, stages);
  }

  /** This config with the schedule. */
  public TrainConfig withSchedule(String schedule) {
    return new TrainConfig(version, tasks, taskWeights, mixing, steps, batchSize, learningRate,
        weightDecay, beta1, beta2, warmupSteps, schedule, gradientClipNorm, seed, checkpointEvery,
        logEvery, device, stages);
  }

  /** This config with the clipping norm (0: off). */
  public TrainConfig withGradientClipNorm(double gradientClipNorm) {
    return new TrainConfig(version, tasks, taskWeights, mixing, steps, batchSize, learningRate,
        weightDecay, beta1, beta2, warmupSteps, schedule, gradientClipNorm, seed, checkpointEvery,
        logEvery, device, stages);
  }

  /** This config with the seed. */
  public TrainConfig withSeed(long seed) {
    return new TrainConfig(version, tasks, taskWeights, mixing, steps, batchSize, learningRate,
        weightDecay, beta1, beta2, warmupSteps, schedule, gradientClipNorm, seed, checkpointEvery,
        logEvery, device, stages);
  }

  /** This config with the steps between checkpoints (0: only at the end). */
  public TrainConfig withCheckpointEvery(int checkpointEvery) {
    return new TrainConfig(version, tasks, taskWeights, mixing, steps, batchSize, learningRate,
        weightDecay, beta1, beta2, warmupSteps, schedule, gradientClipNorm, seed, checkpointEvery,
        logEvery, device, stages);
  }

  /** This config with the steps between metric lines. */
  public TrainConfig withLogEvery(int logEvery) {
    return new TrainConfig(version, tasks, taskWeights, mixing, steps, batchSize, learningRate,
        weightDecay, beta1, beta2, warmupSteps, schedule, gradientClipNorm, seed, checkpointEvery,
        logEvery, device, stages);
  }

  /** This config with the device. */
  public TrainConfig withDevice(Device device) {
    return new TrainConfig(version, tasks, taskWeights, mixing, steps, batchSize, learningRate,
        weightDecay, beta1, beta2, warmupSteps, schedule, gradientClipNorm, seed, checkpointEvery,
        logEvery, device, stages);
  }

  /** This config with the stages. */
  public TrainConfig withStages(List<TaskStage> stages) {
    return new TrainConfig(version, tasks, taskWeights, mixing, steps, batchSize, learningRate,
        weightDecay, beta1, beta2, warmupSteps, schedule, gradientClipNorm, seed, checkpointEvery,
        logEvery, device, stages);
  }

  /** This config with Adam's {@code beta1} and {@code beta2}. */
  public TrainConfig withBetas(double beta1, double beta2) {
    return new TrainConfig(version, tasks, taskWeights, mixing, steps, batchSize, learningRate,
        weightDecay, beta1, beta2, warmupSteps, schedule, gradientClipNorm, seed, checkpointEvery,
        logEvery, device, stages);
  }

  /** A builder starting from {@link #defaults()}. */
  public static Builder builder() {
    return defaults().toBuilder();
  }

  /** A builder starting from this config. */
  public Builder toBuilder() {
    return new Builder(this);
  }

  /**
   * Builds a {@link TrainConfig} in code, one setting at a time; {@link #build} checks the whole
   * as the constructor does (and names the field that is wrong). Not thread-safe.
   *
   * <pre>{@code
   * TrainConfig config = TrainConfig.builder()
   *     .tasks(List.of("detect", "describe"))
   *     .steps(2000)
   *     .batchSize(16)
   *     .learningRate(3e-4)
   *     .build();
   * }</pre>
   */
  public static final class Builder {
    private int version;
    private List<String> tasks;
    private Map<String, Double> taskWeights;
    private String mixing;
    private int steps;
    private int batchSize;
    private double learningRate;
    private double weightDecay;
    private double beta1;
    private double beta2;
    private int warmupSteps;
    private String schedule;
    private double gradientClipNorm;
    private long seed;
    private int checkpointEvery;
    private int logEvery;
    private Device device;
    private List<TaskStage> stages;

    private Builder(TrainConfig c) {
      version = c.version;
      tasks = c.tasks;
      taskWeights = c.taskWeights;
      mixing = c.mixing;
      steps = c.steps;
      batchSize = c.batchSize;
      learningRate = c.learningRate;
      weightDecay = c.weightDecay;
      beta1 = c.beta1;
      beta2 = c.beta2;
      warmupSteps = c.warmupSteps;
      schedule = c.schedule;
      gradientClipNorm = c.gradientClipNorm;
      seed = c.seed;
      checkpointEvery = c.checkpointEvery;
      logEvery = c.logEvery;
      device = c.device;
      stages = c.stages;
    }

    /** The trained tasks. */
    public Builder tasks(List<String> tasks) {
      this.tasks = tasks;
      return this;
    }

    /** The weight of each task (absent: 1). */
    public Builder taskWeights(Map<String, Double> taskWeights) {
      this.taskWeights = taskWeights;
      return this;
    }

    /** {@code sampled} or {@code summed}. */
    public Builder mixing(String mixing) {
      this.mixing = mixing;
      return this;
    }

    /** Optimiser steps. */
    public Builder steps(int steps) {
      this.steps = steps;
      return this;
    }

    /** Examples per batch. */
    public Builder batchSize(int batchSize) {
      this.batchSize = batchSize;
      return this;
    }

    /** Peak learning rate. */
    public Builder learningRate(double learningRate) {
      this.learningRate = learningRate;
      return this;
    }

    /** Decoupled weight decay. */
    public Builder weightDecay(double weightDecay) {
      this.weightDecay = weightDecay;
      return this;
    }

    /** Adam beta1. */
    public Builder beta1(double beta1) {
      this.beta1 = beta1;
      return this;
    }

    /** Adam beta2. */
    public Builder beta2(double beta2) {
      this.beta2 = beta2;
      return this;
    }

    /** Linear warm-up steps. */
    public Builder warmupSteps(int warmupSteps) {
      this.warmupSteps = warmupSteps;
      return this;
    }

    /** {@code linear}, {@code cosine} or {@code constant}. */
    public Builder schedule(String schedule) {
      this.schedule = schedule;
      return this;
    }

    /** Global gradient-norm clip; 0 turns clipping off. */
    public Builder gradientClipNorm(double gradientClipNorm) {
      this.gradientClipNorm = gradientClipNorm;
      return this;
    }

    /** Seed of every random choice. */
    public Builder seed(long seed) {
      this.seed = seed;
      return this;
    }

    /** Steps between checkpoints; 0 saves only at the end. */
    public Builder checkpointEvery(int checkpointEvery) {
      this.checkpointEvery = checkpointEvery;
      return this;
    }

    /** Steps between metric lines. */
    public Builder logEvery(int logEvery) {
      this.logEvery = logEvery;
      return this;
    }

    /** Where to train. */
    public Builder device(Device device) {
      this.device = device;
      return this;
    }

    /** Spans of steps at the start with task weights of their own. */
    public Builder stages(List<TaskStage> stages) {
      this.stages = stages;
      return this;
    }

    /**
     * The config.
     *
     * @throws IllegalArgumentException naming the setting that is out of range
     */
    public TrainConfig build() {
      return new TrainConfig(version, tasks, taskWeights, mixing, steps, batchSize, learningRate,
          weightDecay, beta1, beta2, warmupSteps, schedule, gradientClipNorm, seed, checkpointEvery,
          logEvery, device, stages);
    }
  }

  /** The weight of a task (1 when not listed). */
  public double weightOf(String task) {
    return taskWeights.getOrDefault(task, 1.0);
  }
}
