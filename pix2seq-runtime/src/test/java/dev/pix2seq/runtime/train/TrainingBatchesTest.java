package dev.pix2seq.runtime.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pix2seq.api.task.TrainingSequence;
import dev.pix2seq.api.training.TrainingBatch;
import dev.pix2seq.api.value.ImageTensor;
import dev.pix2seq.tasks.examples.TrainingExample;
import java.util.List;
import org.junit.jupiter.api.Test;

class TrainingBatchesTest {
  private static final int PAD = 0;
  private static final ImageTensor IMAGE = ImageTensor.zeros(4, 4);

  private static TrainingExample example(String task, int[] prompt, int[] input, int[] target,
      float[] weights) {
    return new TrainingExample(task, IMAGE, new TrainingSequence(prompt, input, target, weights));
  }

  @Test
  void alignsTargetsAfterThePromptAndPadsShorterRows() {
    // prompt of 1: [segment-like] row 0 has 4 targets; prompt of 3: row 1 has 2 targets
    TrainingExample a = example("t", new int[] {10}, new int[] {1500, 30, 1600, 1},
        new int[] {1500, 101, 1600, 1}, new float[] {1f, 0.5f, 1f, 0.1f});
    TrainingExample b = example("t", new int[] {10, 1200, 1300}, new int[] {41, 1},
        new int[] {1700, 1}, new float[] {1f, 1f});
    TrainingBatch batch = TrainingBatches.pad("t", List.of(a, b), PAD, 8);

    assertEquals(4, batch.length());
    // row 0: decoder input = prompt ++ input[0..n-2] (the corrupted 30 is what the model reads)
    assertArrayEquals(new int[] {10, 1500, 30, 1600}, batch.inputs()[0]);
    assertArrayEquals(new int[] {1500, 101, 1600, 1}, batch.targets()[0]);
    assertArrayEquals(new float[] {1f, 0.5f, 1f, 0.1f}, batch.weights()[0]);
    // row 1: prompt positions 0 and 1 predict nothing (PAD, weight 0); position 2 predicts 1700
    assertArrayEquals(new int[] {10, 1200, 1300, 41}, batch.inputs()[1]);
    assertArrayEquals(new int[] {PAD, PAD, 1700, 1}, batch.targets()[1]);
    assertArrayEquals(new float[] {0f, 0f, 1f, 1f}, batch.weights()[1]);
  }

  @Test
  void paddingPositionsReadPadAndWeighNothing() {
    TrainingExample longer = example("t", new int[] {10}, new int[] {5, 6, 7, 1},
        new int[] {5, 6, 7, 1}, new float[] {1, 1, 1, 1});
    TrainingExample shorter = example("t", new int[] {10}, new int[] {5, 1}, new int[] {5, 1},
        new float[] {1, 1});
    TrainingBatch batch = TrainingBatches.pad("t", List.of(longer, shorter), PAD, 4);
    assertArrayEquals(new int[] {10, 5, PAD, PAD}, batch.inputs()[1]);
    assertArrayEquals(new int[] {5, 1, PAD, PAD}, batch.targets()[1]);
    assertArrayEquals(new float[] {1, 1, 0, 0}, batch.weights()[1]);
  }

  @Test
  void rowsLongerThanTheModelAcceptsAreRejectedWithTheLengths() {
    TrainingExample e = example("detect", new int[] {10}, new int[] {5, 6, 7, 8, 1},
        new int[] {5, 6, 7, 8, 1}, new float[] {1, 1, 1, 1, 1});
    IllegalArgumentException x = assertThrows(IllegalArgumentException.class,
        () -> TrainingBatches.pad("detect", List.of(e), PAD, 4));
    assertTrue(x.getMessage().contains("needs 5 positions")
        && x.getMessage().contains("maxSequenceLength 4"), x.getMessage());
  }

  @Test
  void examplesOfAnotherTaskAreRejected() {
    TrainingExample e = example("describe", new int[] {13}, new int[] {1}, new int[] {1},
        new float[] {1});
    assertThrows(IllegalArgumentException.class,
        () -> TrainingBatches.pad("detect", List.of(e), PAD, 4));
  }
}
