package dev.pix2seq.api.vocab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

class VocabLayoutTest {
  private static VocabLayout layout(int classBase, int coordBase) {
    return new VocabLayout(1, 0, 1, 10, 20, Map.of("detect", 10), 30, 40, 41, classBase, 900,
        coordBase, 1000, 3000);
  }

  @Test
  void overlappingRangesAreRejected() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> layout(100, 900));
    assertTrue(e.getMessage().contains("overlap"), e.getMessage());
  }

  @Test
  void pluginTasksGetTheirOwnToken() {
    VocabLayout l = layout(100, 1000).withTask("count", 14);
    assertEquals(14, l.taskToken("count"));
    assertThrows(IllegalArgumentException.class, () -> l.withTask("other", 14));
    assertThrows(IllegalArgumentException.class, () -> l.withTask("other", 31));
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> l.taskToken("segment"));
    assertTrue(e.getMessage().contains("[count, detect]"), e.getMessage());
  }

  @Test
  void specialTokensMustBeDistinctAndNonNegative() {
    // sep == eos would make the segmentation constraint end a mask where a polygon break was meant
    IllegalArgumentException same =
        assertThrows(IllegalArgumentException.class, () -> new VocabLayout(1, 0, 1, 10, 20,
            Map.of(), 30, 1, 41, 100, 900, 1000, 1000, 3000));
    assertTrue(same.getMessage().contains("eos and sep"), same.getMessage());
    IllegalArgumentException negative =
        assertThrows(IllegalArgumentException.class, () -> new VocabLayout(1, -1, 1, 10, 20,
            Map.of(), 30, 40, 41, 100, 900, 1000, 1000, 3000));
    assertTrue(negative.getMessage().contains("pad"), negative.getMessage());
  }

  @Test
  void textBaseMustComeAfterTheTaskSlots() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> new VocabLayout(1, 0, 1, 2990, 20,
            Map.of(), 30, 40, 41, 100, 900, 1000, 1000, 3000));
    assertTrue(e.getMessage().contains("textBase"), e.getMessage());
  }

  @Test
  void packedLayoutPutsTheRangesRightAfterTheSpecialTokens() {
    VocabLayout packed = layout(100, 1000).packed(16, 128);
    assertEquals(42, packed.classBase());
    assertEquals(16, packed.maxClasses());
    assertEquals(58, packed.coordBase());
    assertEquals(128, packed.coordBins());
    assertEquals(186, packed.textBase());
    assertEquals(10, packed.taskToken("detect"));
    assertEquals(layout(100, 1000).eos(), packed.eos());
    assertEquals(layout(100, 1000).invisible(), packed.invisible());
  }
}
