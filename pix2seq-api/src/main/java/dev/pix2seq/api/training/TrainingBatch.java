package dev.pix2seq.api.training;

import dev.pix2seq.api.value.ImageTensor;
import java.util.List;

/**
 * One batch of a single task, ready for the network: square model-input images and padded token
 * rows. Row {@code b} reads {@code inputs[b][0..t]} and is trained to predict {@code
 * targets[b][t]} with loss weight {@code weights[b][t]}; padding positions weigh 0. All rows have
 * the same length, at most the model's {@code maxSequenceLength}. Arrays are not copied.
 *
 * @param task the task every row belongs to (for per-task loss reporting)
 * @param images one model-input image per row
 * @param inputs decoder input tokens per row (prompt, then the response shifted right)
 * @param targets the token to predict after each input position
 * @param weights loss weight per position, >= 0; every row has a positive sum
 */
public record TrainingBatch(
    String task, List<ImageTensor> images, int[][] inputs, int[][] targets, float[][] weights) {

  public TrainingBatch {
    if (task == null || task.isBlank()) {
      throw new IllegalArgumentException("training batch task must be named");
    }
    images = List.copyOf(images);
    int rows = images.size();
    if (rows == 0) {
      throw new IllegalArgumentException("training batch must hold at least one row");
    }
    if (inputs.length != rows || targets.length != rows || weights.length != rows) {
      throw new IllegalArgumentException(
          "training batch needs one input, target and weight row per image (" + rows
              + "), found " + inputs.length + ", " + targets.length + ", " + weights.length);
    }
    int length = inputs[0].length;
    if (length == 0) {
      throw new IllegalArgumentException("training batch rows must not be empty");
    }
    for (int b = 0; b < rows; b++) {
      if (inputs[b].length != length || targets[b].length != length
          || weights[b].length != length) {
        throw new IllegalArgumentException(
            "training batch row " + b + " must have length " + length + " in inputs, targets "
                + "and weights, found " + inputs[b].length + ", " + targets[b].length + ", "
                + weights[b].length);
      }
      double sum = 0;
      for (float w : weights[b]) {
        if (!(w >= 0)) {
          throw new IllegalArgumentException(
              "training batch row " + b + " has a negative or NaN weight " + w);
        }
        sum += w;
      }
      if (!(sum > 0)) {
        throw new IllegalArgumentException("training batch row " + b + " has no positive weight");
      }
    }
  }

  /** Number of rows. */
  public int size() {
    return images.size();
  }

  /** Tokens per row. */
  public int length() {
    return inputs[0].length;
  }
}
