package dev.pix2seq.api.training;

import dev.pix2seq.api.CheckpointException;
import java.nio.file.Path;
import java.util.List;

/**
 * Optimises a {@link dev.pix2seq.api.model.Pix2seqModel}'s weights in place with AdamW
 * (decoupled weight decay, global-norm gradient clipping as configured). Backend-neutral code
 * (the training loop) draws batches and the learning rate; the trainer only does the step.
 * Deterministic: the same weights, state and batches give the same losses. Not thread-safe.
 */
public interface ModelTrainer extends AutoCloseable {

  /**
   * One optimiser step over {@code batches} (one batch for sampled task mixing, one per task
   * for summed mixing).
   *
   * @param learningRate the learning rate of this step (the schedule is the caller's)
   */
  StepResult step(List<WeightedBatch> batches, double learningRate);

  /** Optimiser steps taken so far (restored by {@link #loadState(Path)}). */
  long steps();

  /**
   * Writes the optimiser state (moments, step count) into directory {@code dir} (created if
   * absent) in a backend-neutral form: {@code optimizer.safetensors} holding {@code m.<param>}
   * and {@code v.<param>} per parameter, and {@code optimizer.json} with the step count.
   */
  void saveState(Path dir) throws CheckpointException;

  /** Restores what {@link #saveState(Path)} wrote, so training continues exactly. */
  void loadState(Path dir) throws CheckpointException;

  @Override
  void close();
}
