package dev.pix2seq.runtime.train;

import java.nio.file.Path;

/**
 * Observes a training run (progress bars, the demo's live plots). Called on the training
 * thread, in order; a listener that throws stops the run. Every method does nothing by default.
 */
public interface TrainingListener {

  /**
   * Before the first step of a session.
   *
   * @param firstStep steps already completed (0, or the resumed step)
   * @param totalSteps the steps the run trains for
   */
  default void onStart(long firstStep, long totalSteps) {}

  /** After every optimiser step. */
  default void onStep(StepMetrics metrics) {}

  /** After a checkpoint was saved. */
  default void onCheckpoint(long step, Path checkpoint) {}

  /** After the session ended normally (completed, out of time or stopped on request). */
  default void onFinish(TrainingSummary summary) {}
}
