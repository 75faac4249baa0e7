package dev.pix2seq.api.mask;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pix2seq.api.value.Polygon;
import dev.pix2seq.api.value.PolygonMask;
import dev.pix2seq.api.value.RleMask;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Mask operations against a plain pixel-array model of the same semantics, plus the
 * pycocotools quirks that a pixel model does not show.
 */
class RleMasksTest {

  private static final int TRIALS = 300;

  // ---------------------------------------------------------------- encode / decode / area

  @ParameterizedTest
  @ValueSource(doubles = {0.0, 0.05, 0.5, 0.95, 1.0})
  void encodeDecodeRoundTripsAtDensity(double density) {
    Random rnd = new Random(11);
    for (int t = 0; t < TRIALS; t++) {
      int h = 1 + rnd.nextInt(12);
      int w = 1 + rnd.nextInt(12);
      boolean[] px = blobs(rnd, h, w, density);
      RleMask rle = RleMasks.encode(px, h, w);
      assertArrayEquals(px, RleMasks.decode(rle));
      assertArrayEquals(plainRuns(px), rle.counts());
      assertEquals(count(px), RleMasks.area(rle));
    }
  }

  @Test
  void encodeWritesTheLastRunAlways() {
    assertArrayEquals(new int[] {0}, RleMasks.encode(new boolean[0], 0, 5).counts());
    assertArrayEquals(new int[] {0, 2}, RleMasks.encode(new boolean[] {true, true}, 1, 2).counts());
    assertArrayEquals(new int[] {2}, RleMasks.encode(new boolean[] {false, false}, 2, 1).counts());
  }

  @Test
  void encodeRejectsWrongPixelCount() {
    IllegalArgumentException e = assertThrows(
        IllegalArgumentException.class, () -> RleMasks.encode(new boolean[5], 2, 3));
    assertTrue(e.getMessage().contains("found 5"), e.getMessage());
  }

  @Test
  void compressedStringsRoundTripThroughEncode() {
    Random rnd = new Random(5);
    for (int t = 0; t < TRIALS; t++) {
      int h = 1 + rnd.nextInt(30);
      int w = 1 + rnd.nextInt(30);
      RleMask rle = RleMasks.encode(blobs(rnd, h, w, rnd.nextDouble()), h, w);
      assertEquals(rle, RleMask.fromCompressed(rle.toCompressed(), h, w));
    }
  }

  // ---------------------------------------------------------------- toBbox

  @Test
  void bboxOfRandomMasksMatchesPixelDefinition() {
    Random rnd = new Random(12);
    for (int t = 0; t < TRIALS; t++) {
      int h = 1 + rnd.nextInt(15);
      int w = 1 + rnd.nextInt(15);
      boolean[] px = blobs(rnd, h, w, rnd.nextDouble() * 0.6);
      assertArrayEquals(plainBbox(px, h, w), RleMasks.toBbox(RleMasks.encode(px, h, w)), 0.0);
    }
  }

  @Test
  void bboxOfMasksWithEmptyRunsMatchesTheRunFormula() {
    Random rnd = new Random(19);
    for (int t = 0; t < TRIALS; t++) {
      int h = 1 + rnd.nextInt(15);
      int w = 1 + rnd.nextInt(15);
      RleMask rle = withEmptyRuns(rnd, RleMasks.encode(blobs(rnd, h, w, rnd.nextDouble()), h, w));
      if (rnd.nextBoolean()) {
        int[] c = java.util.Arrays.copyOf(rle.counts(), rle.counts().length + 2);
        rle = new RleMask(h, w, c);
      }
      assertArrayEquals(formulaBbox(rle), RleMasks.toBbox(rle), 0.0, rle.toString());
    }
  }

  @Test
  void bboxOfRunCrossingColumnsSpansFullHeight() {
    // 4x4, pixels 3..4: (x=0,y=3) and (x=1,y=0); the run crosses a column boundary
    RleMask rle = new RleMask(4, 4, new int[] {3, 2, 11});
    assertArrayEquals(new double[] {0, 0, 2, 4}, RleMasks.toBbox(rle), 0.0);
  }

  @Test
  void bboxCountsThePixelBeforeAZeroLengthForegroundRun() {
    // foreground is pixels 8..9 (x=2, y=0..1); the empty run at pixel 5 adds pixel 4 (x=1, y=0)
    RleMask rle = new RleMask(4, 4, new int[] {5, 0, 3, 2, 6});
    assertArrayEquals(new double[] {1, 0, 2, 2}, RleMasks.toBbox(rle), 0.0);
  }

  @Test
  void bboxOfEmptyMasks() {
    assertArrayEquals(new double[4], RleMasks.toBbox(new RleMask(4, 4, new int[] {16})), 0.0);
    assertArrayEquals(new double[4], RleMasks.toBbox(new RleMask(0, 0, new int[0])), 0.0);
    // an even count list with an empty final foreground run: pycocotools reads past the image
    assertArrayEquals(
        new double[] {3, 0, 2, 4}, RleMasks.toBbox(new RleMask(4, 4, new int[] {16, 0})), 0.0);
    // an empty foreground run at pixel 0 wraps C's unsigned position to 2^32 - 1
    assertArrayEquals(new double[] {0, 0, 1073741824, 4},
        RleMasks.toBbox(new RleMask(4, 4, new int[] {0, 0, 16})), 0.0);
  }

  // ---------------------------------------------------------------- merge

  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void mergeMatchesPixelOrAnd(boolean intersect) {
    Random rnd = new Random(intersect ? 13 : 14);
    for (int t = 0; t < TRIALS; t++) {
      int h = 1 + rnd.nextInt(12);
      int w = 1 + rnd.nextInt(12);
      int n = 2 + rnd.nextInt(3);
      List<RleMask> masks = new ArrayList<>();
      boolean[] expected = new boolean[h * w];
      java.util.Arrays.fill(expected, intersect);
      for (int i = 0; i < n; i++) {
        boolean[] px = blobs(rnd, h, w, intersect ? 0.7 : rnd.nextDouble() * 0.5);
        masks.add(RleMasks.encode(px, h, w));
        for (int p = 0; p < px.length; p++) {
          expected[p] = intersect ? expected[p] && px[p] : expected[p] || px[p];
        }
      }
      assertEquals(RleMasks.encode(expected, h, w), RleMasks.merge(masks, intersect));
    }
  }

  @Test
  void mergeEdgeCases() {
    RleMask a = new RleMask(2, 2, new int[] {1, 2, 1});
    assertSame(a, RleMasks.merge(List.of(a), true));
    assertEquals(new RleMask(0, 0, new int[0]), RleMasks.merge(List.of(), false));
    RleMask other = new RleMask(1, 4, new int[] {4});
    assertEquals(new RleMask(0, 0, new int[0]), RleMasks.merge(List.of(a, other), false));
    // as in rleMerge, leading empty runs of the first mask survive; the pixels are the union
    RleMask padded = new RleMask(2, 2, new int[] {0, 0, 1, 2, 1});
    RleMask union = RleMasks.merge(List.of(padded, a), false);
    assertArrayEquals(new int[] {0, 0, 1, 2, 1}, union.counts());
    assertArrayEquals(RleMasks.decode(a), RleMasks.decode(union));
  }

  // ---------------------------------------------------------------- iou

  @Test
  void iouMatchesPixelDefinition() {
    Random rnd = new Random(15);
    for (int t = 0; t < 60; t++) {
      int h = 1 + rnd.nextInt(20);
      int w = 1 + rnd.nextInt(20);
      List<boolean[]> dtPx = new ArrayList<>();
      List<boolean[]> gtPx = new ArrayList<>();
      List<RleMask> dt = new ArrayList<>();
      List<RleMask> gt = new ArrayList<>();
      int m = rnd.nextInt(6);
      int n = rnd.nextInt(5);
      for (int i = 0; i < m; i++) {
        dtPx.add(blobs(rnd, h, w, rnd.nextDouble() * 0.4));
        dt.add(withEmptyRuns(rnd, RleMasks.encode(dtPx.get(i), h, w)));
      }
      boolean[] crowd = new boolean[n];
      for (int g = 0; g < n; g++) {
        gtPx.add(blobs(rnd, h, w, rnd.nextDouble() * 0.4));
        gt.add(withEmptyRuns(rnd, RleMasks.encode(gtPx.get(g), h, w)));
        crowd[g] = rnd.nextInt(3) == 0;
      }
      double[][] iou = RleMasks.iou(dt, gt, crowd);
      assertEquals(m, iou.length);
      for (int d = 0; d < m; d++) {
        assertEquals(n, iou[d].length);
        for (int g = 0; g < n; g++) {
          assertEquals(plainIou(dtPx.get(d), gtPx.get(g), crowd[g]), iou[d][g], 0.0,
              "trial " + t + " dt " + d + " gt " + g);
        }
      }
    }
  }

  @Test
  void iouCrowdIsIntersectionOverDetectionArea() {
    // 4x4: gt = left two columns (8 px), dt = column 1..2 (8 px), overlap = column 1 (4 px)
    RleMask gt = new RleMask(4, 4, new int[] {0, 8, 8});
    RleMask dt = new RleMask(4, 4, new int[] {4, 8, 4});
    assertEquals(4.0 / 12, RleMasks.iou(List.of(dt), List.of(gt), new boolean[] {false})[0][0]);
    assertEquals(4.0 / 8, RleMasks.iou(List.of(dt), List.of(gt), new boolean[] {true})[0][0]);
    assertEquals(4.0 / 12, RleMasks.iou(List.of(dt), List.of(gt), null)[0][0]);
  }

  @Test
  void iouOfDifferentSizesIsMinusOneOnlyWhereBoxesOverlap() {
    RleMask gt = new RleMask(4, 4, new int[] {0, 8, 8});
    RleMask overlapping = new RleMask(4, 5, new int[] {0, 4, 16});
    RleMask apart = new RleMask(4, 5, new int[] {16, 4});
    double[][] iou = RleMasks.iou(List.of(overlapping, apart), List.of(gt), null);
    assertEquals(-1, iou[0][0]);
    assertEquals(0, iou[1][0]);
  }

  @Test
  void iouOfEmptyListsHasTheRightShape() {
    RleMask a = new RleMask(2, 2, new int[] {1, 2, 1});
    assertEquals(0, RleMasks.iou(List.of(), List.of(a), new boolean[1]).length);
    double[][] noGt = RleMasks.iou(List.of(a, a), List.of(), new boolean[0]);
    assertEquals(2, noGt.length);
    assertEquals(0, noGt[0].length);
    assertThrows(IllegalArgumentException.class,
        () -> RleMasks.iou(List.of(a), List.of(a), new boolean[2]));
  }

  // ---------------------------------------------------------------- boxIou

  @Test
  void boxIouFollowsBbIou() {
    double[] gt = {0, 0, 10, 10};
    double[] half = {5, 0, 10, 10};
    double[] touching = {10, 0, 5, 5};
    double[] inside = {2, 2, 2, 2};
    double[][] iou =
        RleMasks.boxIou(List.of(half, touching, inside), List.of(gt, gt), new boolean[] {false, true});
    assertEquals(50.0 / 150, iou[0][0]);
    assertEquals(50.0 / 100, iou[0][1]);
    assertEquals(0, iou[1][0]);
    assertEquals(0, iou[1][1]);
    assertEquals(4.0 / 100, iou[2][0]);
    assertEquals(1.0, iou[2][1]);
    assertThrows(IllegalArgumentException.class,
        () -> RleMasks.boxIou(List.of(new double[3]), List.of(gt), null));
  }

  // ---------------------------------------------------------------- polygons and boxes

  @Test
  void integerBoxRasterisesToItsPixels() {
    int h = 20;
    int w = 30;
    RleMask box = RleMasks.fromBbox(new double[] {3, 4, 10, 7}, h, w);
    boolean[] expected = new boolean[h * w];
    for (int x = 3; x < 13; x++) {
      for (int y = 4; y < 11; y++) {
        expected[x * h + y] = true;
      }
    }
    assertArrayEquals(expected, RleMasks.decode(box));
    assertArrayEquals(new double[] {3, 4, 10, 7}, RleMasks.toBbox(box), 0.0);
  }

  @Test
  void boxIsThePolygonOfItsCorners() {
    Random rnd = new Random(16);
    for (int t = 0; t < TRIALS; t++) {
      double[] b = {rnd.nextDouble() * 40 - 5, rnd.nextDouble() * 40 - 5,
          rnd.nextDouble() * 30, rnd.nextDouble() * 30};
      double[] corners = {b[0], b[1], b[0], b[1] + b[3], b[0] + b[2], b[1] + b[3], b[0] + b[2], b[1]};
      assertEquals(RleMasks.fromPolygon(corners, 32, 33), RleMasks.fromBbox(b, 32, 33));
    }
  }

  @Test
  void polygonCoveringTheImageFillsItAndOneOutsideIsEmpty() {
    double[] around = {-10, -10, 50, -10, 50, 40, -10, 40};
    assertArrayEquals(new int[] {0, 30 * 40}, RleMasks.fromPolygon(around, 30, 40).counts());
    double[] outside = {45, 5, 60, 5, 60, 20};
    assertArrayEquals(new int[] {30 * 40}, RleMasks.fromPolygon(outside, 30, 40).counts());
  }

  @Test
  void polygonMaskIgnoresRepeatedVerticesAndATrailingOddNumber() {
    Random rnd = new Random(17);
    for (int t = 0; t < TRIALS; t++) {
      double[] xy = randomPolygon(rnd, 3 + rnd.nextInt(6), 40);
      RleMask mask = RleMasks.fromPolygon(xy, 37, 41);
      // every vertex repeated: degenerate edges add no boundary crossings
      double[] doubled = new double[xy.length * 2];
      for (int i = 0; i < xy.length / 2; i++) {
        doubled[4 * i] = xy[2 * i];
        doubled[4 * i + 1] = xy[2 * i + 1];
        doubled[4 * i + 2] = xy[2 * i];
        doubled[4 * i + 3] = xy[2 * i + 1];
      }
      assertEquals(mask, RleMasks.fromPolygon(doubled, 37, 41));
      // a trailing odd number is ignored, as pycocotools ignores it
      double[] odd = java.util.Arrays.copyOf(xy, xy.length + 1);
      odd[xy.length] = 3.0;
      assertEquals(mask, RleMasks.fromPolygon(odd, 37, 41));
      assertEquals(RleMasks.encode(RleMasks.decode(mask), 37, 41), mask);
    }
  }

  @Test
  void degeneratePolygonsAreEmpty() {
    assertArrayEquals(new int[] {100},
        RleMasks.fromPolygon(new double[] {3, 3, 3, 3, 3, 3}, 10, 10).counts());
    assertArrayEquals(new int[] {100}, RleMasks.fromPolygon(new double[0], 10, 10).counts());
    assertArrayEquals(new int[] {0},
        RleMasks.fromPolygon(new double[] {0, 0, 5, 0, 5, 5}, 0, 7).counts());
  }

  @Test
  void multiPartPolygonIsTheUnionOfItsParts() {
    Random rnd = new Random(18);
    for (int t = 0; t < 100; t++) {
      int parts = 1 + rnd.nextInt(3);
      List<double[]> polys = new ArrayList<>();
      List<Polygon> polygons = new ArrayList<>();
      boolean[] union = new boolean[25 * 35];
      for (int i = 0; i < parts; i++) {
        double[] xy = randomPolygon(rnd, 3 + rnd.nextInt(5), 36);
        polys.add(xy);
        polygons.add(Polygon.ofXy(xy));
        boolean[] px = RleMasks.decode(RleMasks.fromPolygon(xy, 25, 35));
        for (int p = 0; p < px.length; p++) {
          union[p] |= px[p];
        }
      }
      RleMask merged = RleMasks.fromPolygons(polys, 25, 35);
      assertArrayEquals(union, RleMasks.decode(merged));
      assertEquals(merged, RleMasks.fromPolygonMask(new PolygonMask(polygons), 25, 35));
      assertEquals(merged, RleMasks.toRle(new PolygonMask(polygons), 25, 35));
    }
  }

  @Test
  void polygonListsFollowPycocotoolsDispatch() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> RleMasks.fromPolygons(List.of(new double[] {1, 2, 3, 4}), 10, 10));
    assertTrue(e.getMessage().contains("found 4"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> RleMasks.fromPolygons(List.of(), 10, 10));
    // a later short part is rasterised as a (degenerate) polygon, not rejected
    RleMask tri = RleMasks.fromPolygon(new double[] {1, 1, 8, 1, 8, 8}, 10, 10);
    assertEquals(tri,
        RleMasks.fromPolygons(List.of(new double[] {1, 1, 8, 1, 8, 8}, new double[] {2, 2, 3, 3}),
            10, 10));
  }

  @Test
  void toRleChecksTheImageSize() {
    RleMask rle = new RleMask(2, 3, new int[] {6});
    assertSame(rle, RleMasks.toRle(rle, 2, 3));
    assertThrows(IllegalArgumentException.class, () -> RleMasks.toRle(rle, 3, 2));
  }

  // ---------------------------------------------------------------- plain models

  /** Random blobby mask: a few rectangles plus noise, so runs are long and short. */
  private static boolean[] blobs(Random rnd, int h, int w, double density) {
    boolean[] px = new boolean[h * w];
    if (density >= 1.0) {
      java.util.Arrays.fill(px, true);
      return px;
    }
    int rects = rnd.nextInt(4);
    for (int r = 0; r < rects && density > 0; r++) {
      int x0 = rnd.nextInt(w);
      int y0 = rnd.nextInt(h);
      int x1 = x0 + rnd.nextInt(w - x0);
      int y1 = y0 + rnd.nextInt(h - y0);
      for (int x = x0; x <= x1; x++) {
        for (int y = y0; y <= y1; y++) {
          px[x * h + y] = true;
        }
      }
    }
    for (int p = 0; p < px.length; p++) {
      if (rnd.nextDouble() < density / 4) {
        px[p] = !px[p];
      }
    }
    return px;
  }

  /** The same mask with zero-length runs spliced in (as uncompressed RLE may carry). */
  private static RleMask withEmptyRuns(Random rnd, RleMask rle) {
    if (rnd.nextBoolean()) {
      return rle;
    }
    int[] c = rle.counts();
    List<Integer> out = new ArrayList<>();
    for (int v : c) {
      if (v >= 2 && rnd.nextInt(3) == 0) {
        int cut = 1 + rnd.nextInt(v - 1);
        out.add(cut);
        out.add(0);
        out.add(v - cut);
      } else {
        out.add(v);
      }
    }
    return new RleMask(rle.height(), rle.width(), out.stream().mapToInt(Integer::intValue).toArray());
  }

  private static int[] plainRuns(boolean[] px) {
    List<Integer> runs = new ArrayList<>();
    boolean current = false;
    int length = 0;
    for (boolean p : px) {
      if (p != current) {
        runs.add(length);
        length = 0;
        current = p;
      }
      length++;
    }
    runs.add(length);
    return runs.stream().mapToInt(Integer::intValue).toArray();
  }

  /** pycocotools' box from pixels: full height when a foreground run crosses columns. */
  private static double[] plainBbox(boolean[] px, int h, int w) {
    int xs = Integer.MAX_VALUE;
    int xe = -1;
    int ys = Integer.MAX_VALUE;
    int ye = -1;
    boolean crosses = false;
    for (int p = 0; p < px.length; p++) {
      if (px[p]) {
        xs = Math.min(xs, p / h);
        xe = Math.max(xe, p / h);
        ys = Math.min(ys, p % h);
        ye = Math.max(ye, p % h);
        if (p % h == 0 && p > 0 && px[p - 1]) {
          crosses = true;
        }
      }
    }
    if (xe < 0) {
      return new double[4];
    }
    if (crosses) {
      ys = 0;
      ye = h - 1;
    }
    return new double[] {xs, ys, xe - xs + 1, ye - ys + 1};
  }

  /** rleToBbox's formula run by run, dividing every position (unsigned 32-bit positions). */
  private static double[] formulaBbox(RleMask rle) {
    long h = rle.height();
    int[] c = rle.counts();
    int m = c.length / 2 * 2;
    if (m == 0) {
      return new double[4];
    }
    long xs = rle.width();
    long ys = h;
    long xe = 0;
    long ye = 0;
    long cc = 0;
    long xp = 0;
    for (int j = 0; j < m; j++) {
      cc += c[j];
      long t = (cc - j % 2) & 0xFFFFFFFFL;
      long y = t % h;
      long x = (t - y) / h;
      if (j % 2 == 0) {
        xp = x;
      } else if (xp < x) {
        ys = 0;
        ye = h - 1;
      }
      xs = Math.min(xs, x);
      xe = Math.max(xe, x);
      ys = Math.min(ys, y);
      ye = Math.max(ye, y);
    }
    return new double[] {xs, ys, xe - xs + 1, ye - ys + 1};
  }

  private static double plainIou(boolean[] dt, boolean[] gt, boolean crowd) {
    long inter = 0;
    long union = 0;
    long dtArea = 0;
    for (int p = 0; p < dt.length; p++) {
      inter += dt[p] && gt[p] ? 1 : 0;
      union += dt[p] || gt[p] ? 1 : 0;
      dtArea += dt[p] ? 1 : 0;
    }
    if (inter == 0) {
      return 0;
    }
    return (double) inter / (crowd ? dtArea : union);
  }

  private static long count(boolean[] px) {
    long n = 0;
    for (boolean p : px) {
      n += p ? 1 : 0;
    }
    return n;
  }

  private static double[] randomPolygon(Random rnd, int points, double extent) {
    double[] xy = new double[points * 2];
    for (int i = 0; i < xy.length; i++) {
      xy[i] = rnd.nextInt(4) == 0
          ? Math.round(rnd.nextDouble() * extent * 2) / 2.0
          : rnd.nextDouble() * (extent + 10) - 5;
    }
    return xy;
  }
}
