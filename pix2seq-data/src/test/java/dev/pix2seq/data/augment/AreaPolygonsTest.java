package dev.pix2seq.data.augment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pix2seq.api.value.BoundingBox;
import dev.pix2seq.api.value.Polygon;
import dev.pix2seq.data.synth.ScanlineRasterizer;
import java.awt.geom.Area;
import java.awt.geom.Rectangle2D;
import java.util.List;
import org.junit.jupiter.api.Test;

class AreaPolygonsTest {

  @Test
  void holesAreCutOpenSoThePolygonUnionIsTheArea() {
    Area a = new Area(new Rectangle2D.Double(2, 2, 20, 20));
    a.subtract(new Area(new Rectangle2D.Double(8, 8, 6, 6)));
    List<Polygon> parts = AreaPolygons.toPolygons(a);
    assertEquals(2, parts.size(), "one cut through the hole gives two parts");
    assertEquals(400 - 36, AreaPolygons.totalArea(parts), 1e-9);
    boolean[] mask = ScanlineRasterizer.fill(parts, 24, 24);
    for (int y = 0; y < 24; y++) {
      for (int x = 0; x < 24; x++) {
        boolean inRing = x >= 2 && x < 22 && y >= 2 && y < 22
            && !(x >= 8 && x < 14 && y >= 8 && y < 14);
        assertEquals(inRing, mask[y * 24 + x], "pixel " + x + "," + y);
      }
    }
  }

  @Test
  void collinearAndRepeatedVerticesAreDropped() {
    Polygon p = Polygon.ofXy(0, 0, 5, 0, 10, 0, 10, 10, 10, 10, 0, 10);
    List<Polygon> out = AreaPolygons.toPolygons(AreaPolygons.toArea(List.of(p)));
    assertEquals(1, out.size());
    assertEquals(4, out.get(0).points().size());
    assertEquals(100, out.get(0).area(), 1e-12);
  }

  @Test
  void clippingKeepsInsidePolygonsAndSplitsCrossingOnes() {
    Polygon inside = Polygon.ofXy(1, 1, 3, 1, 3, 3);
    // A U shape whose two arms cross the window's top edge and whose base lies outside it.
    Polygon u = Polygon.ofXy(10, 0, 12, 0, 12, 8, 18, 8, 18, 0, 20, 0, 20, 10, 10, 10);
    List<Polygon> out = AreaPolygons.clip(List.of(inside, u), 0, 0, 30, 5);
    assertEquals(3, out.size());
    assertEquals(inside, out.get(0));
    assertEquals(2 + 10 + 10, AreaPolygons.totalArea(out), 1e-9);
    assertEquals(new BoundingBox(1, 0, 20, 5), AreaPolygons.bounds(out));
    assertTrue(AreaPolygons.clip(List.of(u), 0, 20, 30, 30).isEmpty());
  }
}
