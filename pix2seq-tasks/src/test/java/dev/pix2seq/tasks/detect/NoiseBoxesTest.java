package dev.pix2seq.tasks.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pix2seq.api.value.BoundingBox;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class NoiseBoxesTest {

  private static boolean inUnitSquare(BoundingBox b) {
    return b.xMin() >= 0 && b.yMin() >= 0 && b.xMax() <= 1 && b.yMax() <= 1;
  }

  @Test
  void producesTheRequestedNumberOfBoxesInsideTheUnitSquare() {
    List<BoundingBox> real = List.of(new BoundingBox(0.1, 0.1, 0.3, 0.5));
    for (int seed = 0; seed < 200; seed++) {
      List<BoundingBox> noise = NoiseBoxes.generate(real, 37, 0.1, new SplittableRandom(seed));
      assertEquals(37, noise.size());
      noise.forEach(b -> assertTrue(inUnitSquare(b), b::toString));
    }
    assertEquals(0, NoiseBoxes.generate(real, 0, 0.1, new SplittableRandom(1)).size());
    assertEquals(5, NoiseBoxes.generate(List.of(), 5, 0.1, new SplittableRandom(1)).size());
  }

  @Test
  void duplicatesStayCloseAndShiftedBoxesKeepTheirSize() {
    BoundingBox b = new BoundingBox(0.2, 0.2, 0.6, 0.4);
    SplittableRandom rng = new SplittableRandom(3);
    for (int i = 0; i < 500; i++) {
      BoundingBox d = NoiseBoxes.jittered(b, 0.1, rng);
      assertTrue(Math.abs(d.xMin() - b.xMin()) <= 0.1 * b.width() + 1e-12);
      assertTrue(Math.abs(d.yMax() - b.yMax()) <= 0.1 * b.height() + 1e-12);
      BoundingBox s = NoiseBoxes.shifted(b, rng);
      assertTrue(s.width() <= b.width() + 1e-12 && s.height() <= b.height() + 1e-12);
      assertTrue(inUnitSquare(NoiseBoxes.random(rng)));
    }
  }
}
