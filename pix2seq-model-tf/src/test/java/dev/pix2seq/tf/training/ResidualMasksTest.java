package dev.pix2seq.tf.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pix2seq.tf.network.ResidualSite;
import dev.pix2seq.tf.training.ResidualMasks.BatchShape;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class ResidualMasksTest {

  private static final List<ResidualSite> SITES =
      List.of(new ResidualSite(true, 8), new ResidualSite(false, 4));
  private static final int IMAGE_TOKENS = 5;

  @Test
  void masksHoldZeroOrTheKeepScaleAtTheRate() {
    ResidualMasks masks = ResidualMasks.draw(SITES, 0.25, 0.5, IMAGE_TOKENS,
        List.of(new BatchShape(40, 6)), 6, 7, 3);
    float keep = (float) (1 / 0.75);
    int zeros = 0;
    for (float v : masks.dropout()[0]) {
      assertTrue(v == 0f || v == keep, "dropout value " + v);
      zeros += v == 0f ? 1 : 0;
    }
    assertEquals(0.25, zeros / (double) masks.dropout()[0].length, 0.03);
    float[] path = masks.path()[1];
    for (int row = 0; row < 40; row++) {
      float first = path[row * 6];
      assertTrue(first == 0f || first == 2f, "drop-path value " + first);
      for (int t = 1; t < 6; t++) {
        assertEquals(first, path[row * 6 + t], "drop path is one value per row");
      }
    }
  }

  @Test
  void shorterBatchesArePaddedWithOnesAndDrawnFromTheirOwnStream() {
    List<BatchShape> mixed = List.of(new BatchShape(2, 3), new BatchShape(1, 5));
    ResidualMasks both = ResidualMasks.draw(SITES, 0.5, 0.5, IMAGE_TOKENS, mixed, 5, 11, 2);
    float[] text = both.dropout()[1];
    for (int row = 0; row < 2; row++) {
      for (int i = 3 * 4; i < 5 * 4; i++) {
        assertEquals(1f, text[row * 5 * 4 + i], "padding position of row " + row);
      }
    }
    ResidualMasks firstOnly = ResidualMasks.draw(SITES, 0.5, 0.5, IMAGE_TOKENS,
        List.of(new BatchShape(2, 3)), 3, 11, 2);
    assertArrayEquals(firstOnly.dropout()[0], Arrays.copyOf(both.dropout()[0], 2 * 5 * 8),
        "batch 0 draws the same masks whatever follows it");
    ResidualMasks again = ResidualMasks.draw(SITES, 0.5, 0.5, IMAGE_TOKENS, mixed, 5, 11, 2);
    assertArrayEquals(both.dropout()[1], again.dropout()[1]);
    ResidualMasks nextStep = ResidualMasks.draw(SITES, 0.5, 0.5, IMAGE_TOKENS, mixed, 5, 11, 3);
    assertFalse(Arrays.equals(both.dropout()[1], nextStep.dropout()[1]));
  }

  @Test
  void ratesOfZeroDrawNothing() {
    ResidualMasks masks = ResidualMasks.draw(SITES, 0, 0, IMAGE_TOKENS,
        List.of(new BatchShape(2, 3)), 3, 1, 0);
    assertNull(masks.dropout());
    assertNull(masks.path());
  }
}
