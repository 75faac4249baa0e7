package dev.pix2seq.demo;

import dev.pix2seq.demo.eval.ModelEvaluation;
import dev.pix2seq.runtime.train.TrainingSummary;

/**
 * One single-task model of the recipe comparison: how its training ended and how it scored.
 *
 * @param task the task it was trained on
 * @param training how its training ended
 * @param evaluation its scores on the held-out split
 * @param trainSeconds wall-clock seconds of its training
 * @param evaluationSeconds wall-clock seconds of its evaluation
 */
public record SingleTaskRun(
    String task, TrainingSummary training, ModelEvaluation evaluation, double trainSeconds,
    double evaluationSeconds) {

  public SingleTaskRun {
    if (task == null || training == null || evaluation == null) {
      throw new IllegalArgumentException("a single-task run needs its task, training and "
          + "evaluation");
    }
  }
}
