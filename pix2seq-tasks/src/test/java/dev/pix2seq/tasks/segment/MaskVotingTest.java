package dev.pix2seq.tasks.segment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.pix2seq.api.value.Point;
import dev.pix2seq.api.value.Polygon;
import dev.pix2seq.api.value.PolygonMask;
import dev.pix2seq.api.value.RleMask;
import java.util.List;
import org.junit.jupiter.api.Test;

class MaskVotingTest {

  private static PolygonMask rectangle(double x0, double y0, double x1, double y1) {
    return new PolygonMask(List.of(new Polygon(List.of(
        new Point(x0, y0), new Point(x1, y0), new Point(x1, y1), new Point(x0, y1)))));
  }

  @Test
  void rasterisesBySamplingPixelCentres() {
    RasterMask m = PolygonRasterizer.rasterize(rectangle(0.25, 0.25, 0.75, 0.75), 8, 8);
    assertEquals(16, m.area());
    for (int y = 0; y < 8; y++) {
      for (int x = 0; x < 8; x++) {
        assertEquals(y >= 2 && y < 6 && x >= 2 && x < 6, m.get(y, x), y + "," + x);
      }
    }
    PolygonMask triangle = new PolygonMask(List.of(new Polygon(List.of(
        new Point(0, 0), new Point(1, 0), new Point(0, 1)))));
    assertEquals(0.5 * 100 * 100, PolygonRasterizer.rasterize(triangle, 100, 100).area(), 100);
  }

  @Test
  void partsOfOneMaskAreUnited() {
    PolygonMask twoParts = new PolygonMask(List.of(
        rectangle(0, 0, 0.5, 1).polygons().get(0), rectangle(0.25, 0, 1, 1).polygons().get(0)));
    assertEquals(16, PolygonRasterizer.rasterize(twoParts, 4, 4).area());
  }

  @Test
  void voteKeepsPixelsSetInAtLeastTheThresholdShareOfMasks() {
    PolygonMask left = rectangle(0, 0, 0.5, 1);
    PolygonMask full = rectangle(0, 0, 1, 1);
    PolygonMask empty = new PolygonMask(List.of());
    List<PolygonMask> samples = List.of(left, left, full, empty);
    RasterMask half = MaskVoting.vote(samples, 4, 4, 0.5);
    assertEquals(PolygonRasterizer.rasterize(left, 4, 4), half);
    assertEquals(16, MaskVoting.vote(samples, 4, 4, 0.25).area());
    assertEquals(0, MaskVoting.vote(samples, 4, 4, 1.0).area());
    assertEquals(8, MaskVoting.vote(List.of(left, left, full), 4, 4, 1.0).area());
  }

  @Test
  void voteRejectsMisuse() {
    PolygonMask m = rectangle(0, 0, 1, 1);
    assertThrows(IllegalArgumentException.class, () -> MaskVoting.vote(List.of(), 4, 4, 0.5));
    assertThrows(IllegalArgumentException.class, () -> MaskVoting.vote(List.of(m), 4, 4, 0));
    assertThrows(IllegalArgumentException.class, () -> MaskVoting.vote(List.of(m), 4, 4, 1.5));
    assertThrows(IllegalArgumentException.class, () -> MaskVoting.vote(List.of(m), -1, 4, 0.5));
  }

  @Test
  void rasterConvertsToColumnMajorRle() {
    RasterMask m = PolygonRasterizer.rasterize(rectangle(0.5, 0, 1, 0.5), 2, 2);
    RleMask rle = m.toRle();
    assertEquals(2, rle.height());
    assertEquals(1, rle.area());
    assertArrayEquals(new int[] {2, 1, 1}, rle.counts());
    assertArrayEquals(new int[] {4}, new RasterMask(2, 2, new boolean[4]).toRle().counts());
  }
}
