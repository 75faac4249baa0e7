package dev.pix2seq.tasks.segment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pix2seq.api.value.Point;
import dev.pix2seq.api.value.Polygon;
import dev.pix2seq.api.value.PolygonMask;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class PolygonReductionTest {

  private static Polygon square(double x, double y, double size, int verticesPerSide) {
    List<Point> pts = new ArrayList<>();
    double[][] corners = {{x, y}, {x + size, y}, {x + size, y + size}, {x, y + size}};
    for (int c = 0; c < 4; c++) {
      double[] from = corners[c];
      double[] to = corners[(c + 1) % 4];
      for (int i = 0; i < verticesPerSide; i++) {
        double t = (double) i / verticesPerSide;
        pts.add(new Point(from[0] + t * (to[0] - from[0]), from[1] + t * (to[1] - from[1])));
      }
    }
    return new Polygon(pts);
  }

  @Test
  void maskWithinTheBudgetIsUnchanged() {
    PolygonMask mask = new PolygonMask(List.of(square(0, 0, 0.5, 10)));
    PolygonReduction r = PolygonReduction.of(mask, 40);
    assertSame(mask, r.mask());
    assertEquals(0, r.droppedPolygons());
    assertEquals(0, r.droppedPoints());
  }

  @Test
  void onePolygonIsThinnedEvenly() {
    Polygon big = square(0, 0, 0.5, 75);
    PolygonReduction r = PolygonReduction.of(new PolygonMask(List.of(big)), 128);
    List<Point> kept = r.mask().polygons().get(0).points();
    assertEquals(128, kept.size());
    assertEquals(300 - 128, r.droppedPoints());
    for (int j = 0; j < 128; j++) {
      assertEquals(big.points().get(j * 300 / 128), kept.get(j));
    }
    assertEquals(big.area(), r.mask().polygons().get(0).area(), 1e-9);
  }

  @Test
  void budgetIsSharedInProportionWithAtLeastThreeEach() {
    Polygon large = square(0, 0, 0.5, 25);
    Polygon small = square(0.6, 0.6, 0.1, 5);
    Polygon tiny = new Polygon(List.of(new Point(0.9, 0.9), new Point(0.95, 0.9),
        new Point(0.9, 0.95), new Point(0.92, 0.92)));
    PolygonReduction r = PolygonReduction.of(new PolygonMask(List.of(large, small, tiny)), 30);
    List<Polygon> out = r.mask().polygons();
    assertEquals(3, out.size());
    assertEquals(30, r.mask().pointCount());
    assertEquals(124 - 30, r.droppedPoints());
    assertTrue(out.get(0).points().size() > out.get(1).points().size());
    assertTrue(out.get(2).points().size() >= 3);
  }

  @Test
  void smallestPolygonsAreDroppedWhenThreeVerticesEachDoNotFit() {
    List<Polygon> parts = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      double size = 0.01 + 0.001 * ((i * 37) % 50);
      double o = 0.01 * i;
      parts.add(new Polygon(
          List.of(new Point(o, o), new Point(o + size, o), new Point(o, o + size))));
    }
    PolygonReduction r = PolygonReduction.of(new PolygonMask(parts), 128);
    assertEquals(8, r.droppedPolygons());
    assertEquals(42, r.mask().polygons().size());
    assertEquals(24, r.droppedPoints());
    double smallestKept = r.mask().polygons().stream().mapToDouble(Polygon::area).min()
        .orElseThrow();
    List<Polygon> dropped = new ArrayList<>(parts);
    dropped.removeAll(r.mask().polygons());
    for (Polygon d : dropped) {
      assertTrue(d.area() <= smallestKept);
    }
    List<Integer> keptOrder = new ArrayList<>();
    for (Polygon p : r.mask().polygons()) {
      keptOrder.add(parts.indexOf(p));
    }
    List<Integer> sorted = new ArrayList<>(keptOrder);
    sorted.sort(null);
    assertEquals(sorted, keptOrder, "kept polygons keep their order");
  }

  @Test
  void randomMasksAlwaysFitTheBudget() {
    SplittableRandom rng = new SplittableRandom(9);
    for (int i = 0; i < 500; i++) {
      int budget = 3 + rng.nextInt(200);
      List<Polygon> parts = new ArrayList<>();
      int count = 1 + rng.nextInt(30);
      for (int p = 0; p < count; p++) {
        parts.add(SegmentationCodecTest.randomPolygon(3 + rng.nextInt(80), rng));
      }
      PolygonMask mask = new PolygonMask(parts);
      PolygonReduction r = PolygonReduction.of(mask, budget);
      assertTrue(r.mask().pointCount() <= budget);
      assertEquals(mask.pointCount(), r.mask().pointCount() + r.droppedPoints());
      assertEquals(parts.size(), r.mask().polygons().size() + r.droppedPolygons());
      assertTrue(!r.mask().polygons().isEmpty());
    }
  }

  @Test
  void budgetBelowThreeIsRejected() {
    assertThrows(IllegalArgumentException.class,
        () -> PolygonReduction.of(new PolygonMask(List.of()), 2));
  }
}
