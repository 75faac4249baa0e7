package dev.pix2seq.runtime.train;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pix2seq.api.CheckpointException;
import dev.pix2seq.api.config.ConfigIO;
import dev.pix2seq.api.config.TrainConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * The training loop's part of a checkpoint's {@code train-state/} ({@value #FILE}); the
 * backend's optimiser state lies beside it. Since every step's batches depend only on the seed
 * and the step, the step count is all the loop needs to continue exactly.
 *
 * @param formatVersion {@link #CURRENT_VERSION}
 * @param step optimiser steps completed
 * @param trainConfig the training config of the run
 * @param elapsedSeconds training time so far, over all sessions of the run
 * @param imagesSeen training rows so far, over all sessions
 * @param dataset the dataset trained on, to warn when a resumed run reads different data
 */
record TrainingState(
    int formatVersion, long step, TrainConfig trainConfig, double elapsedSeconds,
    long imagesSeen, DatasetSummary dataset) {

  static final String FILE = "loop.json";
  static final int CURRENT_VERSION = 1;

  private static final ObjectMapper MAPPER = ConfigIO.mapper();

  /**
   * What identifies a dataset well enough to notice it changed.
   *
   * @param path the dataset directory as given
   * @param images image count
   * @param annotations instance annotation count
   * @param captions caption count
   */
  record DatasetSummary(String path, int images, int annotations, int captions) {}

  TrainingState {
    if (formatVersion != CURRENT_VERSION) {
      throw new IllegalArgumentException(
          "training state version must be " + CURRENT_VERSION + ", found " + formatVersion);
    }
    if (step < 0 || trainConfig == null || dataset == null) {
      throw new IllegalArgumentException("training state needs a step >= 0, a config and a "
          + "dataset summary");
    }
  }

  void write(Path dir) throws CheckpointException {
    Path file = dir.resolve(FILE);
    try {
      ConfigIO.writeAtomically(file, MAPPER.writeValueAsBytes(this));
    } catch (IOException e) {
      throw new CheckpointException(file + ": cannot write: " + e.getMessage(), e);
    }
  }

  static TrainingState read(Path dir) throws CheckpointException {
    Path file = dir.resolve(FILE);
    try {
      return MAPPER.readValue(Files.readAllBytes(file), TrainingState.class);
    } catch (NoSuchFileException e) {
      throw new CheckpointException(file + ": file not found; the checkpoint was not saved by "
          + "training, so it cannot be resumed", e);
    } catch (IOException | IllegalArgumentException e) {
      throw new CheckpointException(file + ": not a valid training state: " + e.getMessage(), e);
    }
  }
}
