package dev.pix2seq.runtime.train;

import java.util.List;
import java.util.Map;

/**
 * What one optimiser step of a training run did.
 *
 * @param step steps completed after this one (1 after the first)
 * @param totalSteps the steps the run trains for
 * @param tasks the task of each batch of the step
 * @param loss the weighted loss that was minimised
 * @param taskLosses each task's own loss
 * @param learningRate the learning rate used
 * @param gradientNorm global gradient norm before clipping
 * @param images training rows in the step
 * @param imagesPerSecond rows over the step's wall time (including waiting for its batches)
 * @param elapsedSeconds training time of the whole run so far (over resumed sessions too)
 */
public record StepMetrics(
    long step, long totalSteps, List<String> tasks, double loss, Map<String, Double> taskLosses,
    double learningRate, double gradientNorm, int images, double imagesPerSecond,
    double elapsedSeconds) {

  public StepMetrics {
    tasks = List.copyOf(tasks);
    taskLosses = Map.copyOf(taskLosses);
  }
}
