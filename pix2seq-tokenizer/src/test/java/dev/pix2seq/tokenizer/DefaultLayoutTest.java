package dev.pix2seq.tokenizer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pix2seq.api.vocab.TokenRange;
import dev.pix2seq.api.vocab.VocabLayout;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The default layout is the table of DESIGN.md section 3; bad layouts are rejected. */
class DefaultLayoutTest {
  private final VocabLayout layout = Vocabulary.defaultLayout();

  @Test
  void defaultLayoutIsTheDesignTable() {
    assertEquals(0, layout.pad());
    assertEquals(1, layout.eos());
    assertEquals(
        Map.of("detect", 10, "segment", 11, "keypoint", 12, "describe", 13),
        layout.taskTokens());
    assertEquals(10, layout.taskBase());
    assertEquals(20, layout.taskSlots());
    assertEquals(30, layout.fake());
    assertEquals(40, layout.sep());
    assertEquals(41, layout.invisible());
    assertEquals(new TokenRange(100, 1000), layout.classRange());
    assertEquals(new TokenRange(1000, 2000), layout.coordRange());
    assertEquals(1000, layout.coordBins());
    assertEquals(3000, layout.textBase());
    assertEquals(new TokenRange(3000, 3500), layout.textRange(500));
    assertTrue(layout.isCoord(1999));
    assertFalse(layout.isCoord(2000));
    assertTrue(layout.isClass(100));
    assertFalse(layout.isClass(1000));
  }

  @Test
  void rejectsClassRangeOverlappingCoordinates() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> layout(100, 950, 1000, 1000, 3000, 30));
    assertTrue(e.getMessage().contains("overlap"), e.getMessage());
  }

  @Test
  void rejectsSpecialTokenInsideClassRange() {
    assertThrows(IllegalArgumentException.class, () -> layout(100, 900, 1000, 1000, 3000, 150));
  }

  @Test
  void rejectsTextBaseBeforeCoordinatesEnd() {
    assertThrows(IllegalArgumentException.class, () -> layout(100, 900, 1000, 1000, 1500, 30));
  }

  @Test
  void rejectsTaskTokenOutsideTaskSlots() {
    assertThrows(IllegalArgumentException.class, () -> layout.withTask("count", 30));
    assertEquals(14, layout.withTask("count", 14).taskToken("count"));
  }

  private VocabLayout layout(
      int classBase, int maxClasses, int coordBase, int coordBins, int textBase, int fake) {
    return new VocabLayout(1, 0, 1, 10, 20, layout.taskTokens(), fake, 40, 41, classBase,
        maxClasses, coordBase, coordBins, textBase);
  }
}
