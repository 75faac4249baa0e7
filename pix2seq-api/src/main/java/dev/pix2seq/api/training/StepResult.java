package dev.pix2seq.api.training;

import java.util.Map;

/**
 * What one optimiser step measured.
 *
 * @param step the step number after this step (1 after the first)
 * @param loss the weighted loss that was minimised
 * @param taskLosses each task's own loss {@code sum(ce * w) / sum(w)} (before task weights)
 * @param gradientNorm global L2 norm of the gradient before clipping
 * @param learningRate the learning rate used
 */
public record StepResult(
    long step, double loss, Map<String, Double> taskLosses, double gradientNorm,
    double learningRate) {

  public StepResult {
    taskLosses = Map.copyOf(taskLosses);
  }
}
