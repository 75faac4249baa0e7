package dev.pix2seq.api.config;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A span of training steps with task weights of its own, e.g. detection alone for the first
 * steps of a multi-task run ({@link TrainConfig#stages()}). Tasks the stage does not name are
 * not trained during it.
 *
 * <pre>{@code
 * TaskStage detectFirst = new TaskStage(2000, Map.of("detect", 1.0));
 * }</pre>
 *
 * @param steps steps the stage lasts, >= 1
 * @param taskWeights weight of each task trained in the stage (at least one positive); copied
 */
public record TaskStage(int steps, Map<String, Double> taskWeights) {

  public TaskStage {
    if (steps < 1) {
      throw new IllegalArgumentException("a task stage's steps must be >= 1, found " + steps);
    }
    if (taskWeights == null || taskWeights.isEmpty()) {
      throw new IllegalArgumentException("a task stage must weigh at least one task");
    }
    double total = 0;
    for (Map.Entry<String, Double> e : taskWeights.entrySet()) {
      Double w = e.getValue();
      if (w == null || !(w >= 0) || w.isInfinite()) {
        throw new IllegalArgumentException("task stage weight of '" + e.getKey()
            + "' must be finite and >= 0, found " + w);
      }
      total += w;
    }
    if (!(total > 0)) {
      throw new IllegalArgumentException(
          "a task stage needs a task of positive weight, found " + taskWeights);
    }
    taskWeights = Collections.unmodifiableMap(new LinkedHashMap<>(taskWeights));
  }
}
