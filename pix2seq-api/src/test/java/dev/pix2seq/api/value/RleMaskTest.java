package dev.pix2seq.api.value;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class RleMaskTest {

  @Test
  void compressedStringRoundTrips() {
    SplittableRandom rng = new SplittableRandom(7);
    for (int trial = 0; trial < 500; trial++) {
      int h = 1 + rng.nextInt(60);
      int w = 1 + rng.nextInt(60);
      int remaining = h * w;
      int[] counts = new int[1 + rng.nextInt(30)];
      int n = 0;
      while (n < counts.length - 1 && remaining > 0) {
        int run = rng.nextInt(remaining + 1);
        counts[n++] = run;
        remaining -= run;
      }
      counts[n++] = remaining;
      RleMask m = new RleMask(h, w, java.util.Arrays.copyOf(counts, n));
      assertEquals(m, RleMask.fromCompressed(m.toCompressed(), h, w));
    }
  }

  @Test
  void knownEncoding() {
    // 3x3 with the middle column set (column-major): 3 zeros, 3 ones, 3 zeros.
    RleMask m = new RleMask(3, 3, new int[] {3, 3, 3});
    assertEquals(3, m.area());
    assertEquals(m, RleMask.fromCompressed(m.toCompressed(), 3, 3));
  }

  @Test
  void malformedInputIsRejected() {
    assertThrows(IllegalArgumentException.class, () -> new RleMask(2, 2, new int[] {1, 1}));
    assertThrows(IllegalArgumentException.class, () -> RleMask.fromCompressed("3 ", 2, 2));
    assertThrows(IllegalArgumentException.class, () -> RleMask.fromCompressed("0", 2, 2));
  }
}
