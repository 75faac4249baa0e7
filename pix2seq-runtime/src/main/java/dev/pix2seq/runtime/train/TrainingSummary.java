package dev.pix2seq.runtime.train;

import java.nio.file.Path;

/**
 * How a training session ended.
 *
 * @param output the run directory
 * @param checkpoint the checkpoint directory holding the final state
 * @param firstStep steps completed when the session started (0, or the resumed step)
 * @param lastStep steps completed when it ended (the checkpoint's step)
 * @param totalSteps the steps the run trains for
 * @param finalLoss the loss of the last step, NaN when the session took no step
 * @param elapsedSeconds training time of the whole run (over resumed sessions too)
 * @param reason why the session ended
 */
public record TrainingSummary(
    Path output, Path checkpoint, long firstStep, long lastStep, long totalSteps,
    double finalLoss, double elapsedSeconds, StopReason reason) {

  /** Why a training session ended. */
  public enum StopReason {
    /** Every configured step was taken. */
    COMPLETED,
    /** The time budget ran out; resume the run to continue. */
    TIME_BUDGET,
    /** {@link TrainingRun#requestStop()} was called or the training thread was interrupted. */
    STOP_REQUESTED
  }

  /** Whether the run reached its last step. */
  public boolean completed() {
    return reason == StopReason.COMPLETED;
  }
}
