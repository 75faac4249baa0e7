package dev.pix2seq.api.network;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The convolutional stem's geometry, which every backend builds its stem from. */
class ConvStemTest {

  @Test
  void convStemGeometry() {
    ConvStem tiny = ConvStem.of(16, 128, true);
    assertEquals(3, tiny.stages());
    assertArrayEquals(new int[] {16, 32, 64}, tiny.channels());
    assertEquals(2, tiny.patchKernel());
    assertEquals(2, ConvStem.of(8, 192, true).stages());
    assertEquals(2, ConvStem.of(2, 32, true).patchKernel());
    assertEquals(0, ConvStem.of(2, 32, true).stages());
    assertEquals(3, ConvStem.of(12, 32, true).patchKernel());
    assertEquals(16, ConvStem.of(16, 128, false).patchKernel());
  }
}
