package dev.pix2seq.data.augment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pix2seq.api.value.BoundingBox;
import dev.pix2seq.api.value.ImageTensor;
import dev.pix2seq.api.value.Keypoint;
import dev.pix2seq.api.value.Keypoints;
import dev.pix2seq.api.value.Polygon;
import dev.pix2seq.api.value.PolygonMask;
import dev.pix2seq.api.value.RleMask;
import dev.pix2seq.api.value.Visibility;
import dev.pix2seq.data.coco.CocoAnnotation;
import dev.pix2seq.data.coco.CocoCaption;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class GeometryStepsTest {

  /** An image whose red channel is the column / width and green the row / height. */
  private static ImageTensor ramp(int w, int h) {
    float[] px = new float[3 * w * h];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        px[y * w + x] = x / (float) w;
        px[w * h + y * w + x] = y / (float) h;
      }
    }
    return new ImageTensor(px, 3, h, w);
  }

  private static AnnotatedInstance square(long id, double x0, double y0, double side,
      Keypoints kps) {
    Polygon p = Polygon.ofXy(x0, y0, x0 + side, y0, x0 + side, y0 + side, x0, y0 + side);
    return AnnotatedInstance.of(id, 1, p.bounds(), List.of(p), kps);
  }

  private static Keypoints kps(double... xyv) {
    List<Keypoint> out = new ArrayList<>();
    for (int i = 0; i < xyv.length; i += 3) {
      out.add(new Keypoint(xyv[i], xyv[i + 1], Visibility.ofCocoFlag((int) xyv[i + 2]), 1));
    }
    return new Keypoints(out, 1);
  }

  /** 100 x 50: instance 1 on the left with two keypoints, instance 2 on the right. */
  private static AnnotatedImage twoSquares() {
    return AnnotatedImage.of(ramp(100, 50), List.of(
        square(1, 10, 10, 20, kps(20, 20, 2, 28, 12, 1)),
        square(2, 70, 10, 20, null)), List.of("a caption"));
  }

  @Test
  void cropRemovesAndCountsInstancesThatAreCutAway() {
    AnnotatedImage out = SampleGeometry.crop(twoSquares(), 0, 0, 50, 50, 0);
    assertEquals(1, out.instances().size());
    assertEquals(1, out.droppedInstances());
    assertEquals(1, out.instances().get(0).id());
    assertEquals(new BoundingBox(10, 10, 30, 30), out.instances().get(0).box());
    assertEquals(List.of("a caption"), out.captions());
  }

  @Test
  void cropClipsPolygonsAndBoxesAndUnlabelsKeypointsOutside() {
    AnnotatedImage out = SampleGeometry.crop(twoSquares(), 25, 5, 60, 40, 0);
    assertEquals(2, out.instances().size());
    AnnotatedInstance a = out.instances().get(0);
    assertEquals(new BoundingBox(0, 5, 5, 25), a.box());
    assertEquals(100, AreaPolygons.totalArea(a.polygons()), 1e-9);
    Keypoint gone = a.keypoints().points().get(0);
    Keypoint kept = a.keypoints().points().get(1);
    assertEquals(Visibility.UNLABELED, gone.visibility());
    assertEquals(0, gone.x());
    assertEquals(Visibility.OCCLUDED, kept.visibility());
    assertEquals(3, kept.x(), 1e-12);
    assertEquals(7, kept.y(), 1e-12);
    assertEquals(new BoundingBox(45, 5, 60, 25), out.instances().get(1).box());
    // Pixels move with the window.
    assertEquals(25 / 100f, out.image().get(0, 0, 0));
    assertEquals(5 / 50f, out.image().get(1, 0, 0));
    assertEquals(CoordinateMap.translate(-25, -5), out.fromSource());
  }

  @Test
  void randomCropOfTheWholeImageChangesNothingAndFixedSizeCropBounds() {
    AnnotatedImage s = twoSquares();
    assertSame(s, new RandomCrop(1, 1).apply(s, new SplittableRandom(1)));
    AnnotatedImage c = FixedSizeCrop.of(40, 80).apply(s, new SplittableRandom(1));
    assertEquals(40, c.width());
    assertEquals(50, c.height());
    AnnotatedImage r = new RandomCrop(0.5, 0.5).apply(s, new SplittableRandom(2));
    assertEquals(50, r.width());
    assertEquals(25, r.height());
  }

  @Test
  void padToSquareFillsBottomAndRightWithGreyAndKeepsCoordinates() {
    AnnotatedImage s = AnnotatedImage.of(ramp(30, 20), List.of(square(1, 2, 2, 5, null)),
        List.of());
    AnnotatedImage out = PadToSquare.grey().pad(s);
    assertEquals(30, out.width());
    assertEquals(30, out.height());
    for (int c = 0; c < 3; c++) {
      assertEquals(0.3f, out.image().get(c, 25, 10));
    }
    assertEquals(s.image().get(0, 19, 29), out.image().get(0, 19, 29));
    assertEquals(s.instances(), out.instances());
    assertEquals(CoordinateMap.IDENTITY, out.fromSource());
    AnnotatedImage bigger = PadToSquare.grey(40).pad(s);
    assertEquals(40, bigger.width());
    assertEquals(0.3f, bigger.image().get(2, 5, 35));
  }

  @Test
  void resizeScalesPixelsAndAnnotationsTogether() {
    AnnotatedImage s = twoSquares();
    AnnotatedImage out = new ResizeLongestSide(200).resize(s);
    assertEquals(200, out.width());
    assertEquals(100, out.height());
    AugmentationChainTest.assertBoxEquals(new BoundingBox(20, 20, 60, 60),
        out.instances().get(0).box(), 1e-12);
    Keypoint k = out.instances().get(0).keypoints().points().get(0);
    assertEquals(40, k.x(), 1e-12);
    assertEquals(40, k.y(), 1e-12);
    // The red ramp is x / 100 at pixel x; output pixel u samples x = (u + 0.5) / 2 - 0.5.
    assertEquals((50.5 / 2 - 0.5) / 100, out.image().get(0, 10, 50), 1e-6);
  }

  @Test
  void scaleJitterDrawsItsFactorFromTheRange() {
    AnnotatedImage s = twoSquares();
    AnnotatedImage t = ScaleJitter.ofTarget(300, 1, 1).apply(s, new SplittableRandom(1));
    assertEquals(300, t.width());
    assertEquals(150, t.height());
    for (int seed = 0; seed < 10; seed++) {
      AnnotatedImage r = ScaleJitter.relative(0.5, 2).apply(s, new SplittableRandom(seed));
      assertTrue(r.width() >= 50 && r.width() <= 200, "width " + r.width());
      assertEquals(r.width() / 100.0, r.fromSource().scaleX(), 1e-12);
      assertEquals(r.height() / 50.0, r.fromSource().scaleY(), 1e-12);
    }
    assertThrows(IllegalArgumentException.class, () -> ScaleJitter.relative(2, 1));
  }

  @Test
  void keypointContextCropIsTwiceTheBoxPaddedOrClipped() {
    AnnotatedImage s = AnnotatedImage.of(ramp(100, 100), List.of(
        AnnotatedInstance.of(5, 1, new BoundingBox(40, 40, 60, 70), List.of(),
            kps(50, 45, 2, 0, 0, 0)),
        square(6, 0, 0, 20, null)), List.of());
    AnnotatedImage mid = KeypointContextCrop.padded().crop(s, s.instance(5).orElseThrow());
    assertEquals(40, mid.width());
    assertEquals(60, mid.height());
    assertEquals(new BoundingBox(10, 15, 30, 45), mid.instance(5).orElseThrow().box());
    assertEquals(20, mid.instance(5).orElseThrow().keypoints().points().get(0).x(), 1e-12);
    assertEquals(Visibility.UNLABELED,
        mid.instance(5).orElseThrow().keypoints().points().get(1).visibility());
    assertTrue(mid.instance(6).isEmpty());
    assertEquals(1, mid.droppedInstances());

    BoundingBox corner = new BoundingBox(0, 0, 20, 20);
    AnnotatedImage padded = KeypointContextCrop.padded().crop(s, corner);
    assertEquals(40, padded.width());
    assertEquals(0.3f, padded.image().get(0, 5, 5));
    assertEquals(new BoundingBox(10, 10, 30, 30), padded.instance(6).orElseThrow().box());
    AnnotatedImage clipped = KeypointContextCrop.clipped().crop(s, corner);
    assertEquals(30, clipped.width());
    assertEquals(30, clipped.height());
    assertEquals(corner, clipped.instance(6).orElseThrow().box());
  }

  @Test
  void coordinateMapsComposeAndInvert() {
    CoordinateMap m = CoordinateMap.scale(2, 3).then(CoordinateMap.translate(-5, 1))
        .then(CoordinateMap.mirrorX(50));
    assertEquals(50 - (2 * 7 - 5), m.x(7), 1e-12);
    assertEquals(3 * 4 + 1, m.y(4), 1e-12);
    CoordinateMap back = m.then(m.inverse());
    assertEquals(7, back.x(7), 1e-12);
    assertEquals(4, back.y(4), 1e-12);
    assertEquals(new BoundingBox(50 - 15, 1, 50 - 1, 10), m.apply(new BoundingBox(3, 0, 10, 3)));
    assertThrows(IllegalArgumentException.class, () -> CoordinateMap.scale(0, 1));
  }

  @Test
  void cocoAnnotationsBecomeInstancesAndRleMasksAreLeftOut() {
    Polygon p = Polygon.ofXy(1, 1, 4, 1, 4, 4);
    CocoAnnotation poly = new CocoAnnotation(11, 1, 2, p.bounds(), new PolygonMask(List.of(p)),
        4.5, false, null);
    CocoAnnotation rle = new CocoAnnotation(12, 1, 3, new BoundingBox(0, 0, 2, 2),
        new RleMask(8, 8, new int[] {0, 64}), 64, true, null);
    AnnotatedImage s = AnnotatedImage.fromCoco(new BufferedImage(8, 8,
        BufferedImage.TYPE_INT_RGB), List.of(poly, rle), List.of(new CocoCaption(1, 1, "x")));
    assertEquals(List.of(p), s.instance(11).orElseThrow().polygons());
    assertTrue(s.instance(12).orElseThrow().polygons().isEmpty());
    assertTrue(s.instance(12).orElseThrow().crowd());
    assertEquals(List.of("x"), s.captions());
    assertEquals(8, s.width());
  }
}
