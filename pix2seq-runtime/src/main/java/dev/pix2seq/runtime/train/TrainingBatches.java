package dev.pix2seq.runtime.train;

import dev.pix2seq.api.task.TrainingSequence;
import dev.pix2seq.api.training.TrainingBatch;
import dev.pix2seq.api.value.ImageTensor;
import dev.pix2seq.tasks.examples.TrainingExample;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Pads training examples of one task into a {@link TrainingBatch}. Row {@code b} reads the
 * example's decoder input {@code prompt ++ input[0..n-2]} followed by PAD; position {@code
 * prompt.length - 1 + i} predicts {@code target[i]} with weight {@code weights[i]}; prompt
 * positions before that and the padding predict PAD with weight 0. Every row is as long as the
 * longest example.
 */
public final class TrainingBatches {
  private TrainingBatches() {}

  /**
   * The batch of {@code examples}.
   *
   * @param task the task every example belongs to
   * @param examples at least one example, each of {@code task} with at least one target token
   * @param padToken the PAD token id
   * @param maxLength the longest row the model accepts (its maxSequenceLength)
   * @throws IllegalArgumentException if an example belongs to another task, has no target, or
   *     needs more than {@code maxLength} positions
   */
  public static TrainingBatch pad(
      String task, List<TrainingExample> examples, int padToken, int maxLength) {
    if (examples.isEmpty()) {
      throw new IllegalArgumentException("a batch of task '" + task + "' needs an example");
    }
    int length = 0;
    for (TrainingExample e : examples) {
      if (!e.task().equals(task)) {
        throw new IllegalArgumentException(
            "a batch of task '" + task + "' cannot hold an example of task '" + e.task() + "'");
      }
      TrainingSequence s = e.sequence();
      if (s.length() == 0) {
        throw new IllegalArgumentException("an example of task '" + task + "' has no target");
      }
      int rowLength = rowLength(s);
      if (rowLength > maxLength) {
        throw new IllegalArgumentException("an example of task '" + task + "' needs "
            + rowLength + " positions (prompt " + s.prompt().length + " + response "
            + s.length() + " - 1), more than the model's maxSequenceLength " + maxLength
            + "; reduce the task's options (e.g. detect maxObjects)");
      }
      length = Math.max(length, rowLength);
    }
    int rows = examples.size();
    List<ImageTensor> images = new ArrayList<>(rows);
    int[][] inputs = new int[rows][length];
    int[][] targets = new int[rows][length];
    float[][] weights = new float[rows][length];
    for (int b = 0; b < rows; b++) {
      TrainingSequence s = examples.get(b).sequence();
      images.add(examples.get(b).image());
      int[] in = s.decoderInput();
      Arrays.fill(inputs[b], padToken);
      System.arraycopy(in, 0, inputs[b], 0, in.length);
      Arrays.fill(targets[b], padToken);
      int offset = s.prompt().length - 1;
      System.arraycopy(s.target(), 0, targets[b], offset, s.length());
      System.arraycopy(s.weights(), 0, weights[b], offset, s.length());
    }
    return new TrainingBatch(task, images, inputs, targets, weights);
  }

  /** Positions a sequence occupies: {@code prompt + response - 1} (the last target is not read). */
  public static int rowLength(TrainingSequence sequence) {
    return sequence.prompt().length + sequence.length() - 1;
  }
}
