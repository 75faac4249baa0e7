package dev.pix2seq.runtime.checkpoint;

import dev.pix2seq.api.CheckpointException;
import java.nio.file.Path;

/**
 * Writes the training state of a checkpoint (optimiser moments, loop state) into a directory
 * that {@link Checkpoint#save} then swaps in with the rest of the checkpoint.
 */
@FunctionalInterface
public interface TrainStateWriter {

  /**
   * Writes the state into {@code dir} (already created, empty).
   *
   * @throws CheckpointException if a file cannot be written
   */
  void write(Path dir) throws CheckpointException;
}
