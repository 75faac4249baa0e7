package dev.pix2seq.api.vocab;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class TokenSetTest {

  @Test
  void rangesAreSortedAndMerged() {
    TokenSet s = TokenSet.of(new TokenRange(10, 20), new TokenRange(1, 2), new TokenRange(15, 25));
    assertEquals("{1, 10..24}", s.toString());
    assertEquals(16, s.size());
    assertTrue(s.contains(1));
    assertTrue(s.contains(24));
    assertFalse(s.contains(25));
    assertFalse(s.contains(5));
    assertEquals(s, TokenSet.ofTokens(1).union(TokenSet.of(new TokenRange(10, 25))));
  }

  @Test
  void maskLogitsKeepsOnlyTheSet() {
    float[] logits = {1, 2, 3, 4, 5, 6};
    TokenSet.of(new TokenRange(1, 3), TokenRange.single(5), new TokenRange(9, 12))
        .maskLogits(logits);
    float n = Float.NEGATIVE_INFINITY;
    assertArrayEquals(new float[] {n, 2, 3, n, n, 6}, logits);
  }
}
