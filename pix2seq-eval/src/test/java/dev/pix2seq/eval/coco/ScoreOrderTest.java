package dev.pix2seq.eval.coco;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.Arrays;
import java.util.Comparator;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The stable descending order pycocotools gets from a mergesort of negated scores. */
class ScoreOrderTest {

  @Test
  void tiesKeepTheirOrderAndSignedZerosTie() {
    double[] score = {0.5, 0.9, 0.5, 0.0, 0.9, -0.0, 0.0};
    int[] order = ScoreOrder.descending(new int[] {0, 1, 2, 3, 4, 5, 6}, score);
    assertArrayEquals(new int[] {1, 4, 0, 2, 3, 5, 6}, order);
  }

  @Test
  void agreesWithAStableLibrarySortOnManyTies() {
    Random rng = new Random(3);
    for (int n : new int[] {0, 1, 23, 24, 25, 100, 1000, 4097}) {
      double[] score = new double[n];
      for (int i = 0; i < n; i++) {
        score[i] = rng.nextInt(20) / 10.0;
      }
      int[] items = IntStream.range(0, n).toArray();
      int[] expected = IntStream.range(0, n).boxed()
          .sorted(Comparator.comparingDouble((Integer i) -> -score[i]))
          .mapToInt(Integer::intValue).toArray();
      assertArrayEquals(expected, ScoreOrder.descending(items, score), "n=" + n);
      assertArrayEquals(IntStream.range(0, n).toArray(), items, "input untouched");
    }
  }

  @Test
  void sortsASubsetOfIndices() {
    double[] score = {0.1, 0.2, 0.3, 0.4};
    assertArrayEquals(new int[] {3, 1, 0}, ScoreOrder.descending(new int[] {0, 3, 1}, score));
    assertArrayEquals(new int[] {}, ScoreOrder.descending(new int[] {}, score));
    assertArrayEquals(new int[] {2}, Arrays.copyOf(ScoreOrder.descending(new int[] {2}, score), 1));
  }
}
