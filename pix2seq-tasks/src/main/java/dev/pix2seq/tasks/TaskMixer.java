package dev.pix2seq.tasks;

import dev.pix2seq.api.config.TrainConfig;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;

/**
 * Batch mixing over tasks (DESIGN.md section 7): in {@code sampled} mode each batch holds one
 * task drawn with probability proportional to its weight; in {@code summed} mode every step
 * trains one batch per task and weighs their losses. Immutable and thread-safe.
 *
 * @param weights task name to non-negative weight, in training order; copied
 */
public record TaskMixer(Map<String, Double> weights) {

  public TaskMixer {
    if (weights.isEmpty()) {
      throw new IllegalArgumentException("a task mixer needs at least one task");
    }
    double total = 0;
    for (Map.Entry<String, Double> e : weights.entrySet()) {
      if (!(e.getValue() >= 0) || Double.isInfinite(e.getValue())) {
        throw new IllegalArgumentException(
            "weight of task '" + e.getKey() + "' must be finite and >= 0, found " + e.getValue());
      }
      total += e.getValue();
    }
    if (!(total > 0)) {
      throw new IllegalArgumentException("at least one task weight must be > 0, found " + weights);
    }
    weights = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(weights));
  }

  /** The mixer of a training config's tasks and weights (absent weights are 1). */
  public static TaskMixer of(TrainConfig config) {
    Map<String, Double> w = new LinkedHashMap<>();
    for (String task : config.tasks()) {
      w.put(task, config.weightOf(task));
    }
    return new TaskMixer(w);
  }

  /**
   * The mixer of step {@code step} (0-based) of a training config: the weights of the stage
   * that covers it ({@link TrainConfig#weightsAt}), else the config's task weights.
   */
  public static TaskMixer at(TrainConfig config, long step) {
    return new TaskMixer(config.weightsAt(step));
  }

  /** The tasks in training order. */
  public List<String> tasks() {
    return new ArrayList<>(weights.keySet());
  }

  /** Draws the task of the next batch, with probability proportional to its weight. */
  public String draw(RandomGenerator rng) {
    double total = weights.values().stream().mapToDouble(Double::doubleValue).sum();
    double u = rng.nextDouble() * total;
    String last = null;
    for (Map.Entry<String, Double> e : weights.entrySet()) {
      if (e.getValue() > 0) {
        last = e.getKey();
        u -= e.getValue();
        if (u < 0) {
          return e.getKey();
        }
      }
    }
    return last;
  }

  /** Loss weight of each task in {@code summed} mode: its weight over the sum of weights. */
  public Map<String, Double> lossWeights() {
    double total = weights.values().stream().mapToDouble(Double::doubleValue).sum();
    Map<String, Double> out = new LinkedHashMap<>();
    weights.forEach((k, v) -> out.put(k, v / total));
    return out;
  }
}
