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

  /** The weight of a task (1 when not listed). */
  public double weightOf(String task) {
    return taskWeights.getOrDefault(task, 1.0);
  }
}
