package dev.pix2seq.data.augment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pix2seq.api.value.BoundingBox;
import dev.pix2seq.api.value.ImageTensor;
import dev.pix2seq.api.value.Keypoint;
import dev.pix2seq.api.value.Point;
import dev.pix2seq.api.value.Polygon;
import dev.pix2seq.data.synth.SceneOptions;
import dev.pix2seq.data.synth.SyntheticScene;
import dev.pix2seq.data.synth.SyntheticSceneGenerator;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * A training chain on synthetic scenes: scale jitter, random crop, flip, resize, pad. The pad
 * comes last so that bilinear resizing never blends the grey fill into image content at a crop
 * edge (which would blur a dot cut by the crop).
 */
class AugmentationChainTest {
  private static final int MAGENTA = 0xFF00FF;
  private static final double DOT_RADIUS = 4;

  private final SyntheticSceneGenerator gen = new SyntheticSceneGenerator(
      SceneOptions.defaults().withSeed(21).withPersonProbability(0.6).withObjects(2, 4));
  private final Augmentation chain = Augmentation.chain(
      ScaleJitter.relative(0.8, 1.5),
      new RandomCrop(0.6, 1.0),
      HorizontalFlip.of(gen.categories(), 1.0),
      new ResizeLongestSide(112),
      PadToSquare.grey(128));

  /** The scene with a magenta dot painted at every labeled keypoint. */
  private static AnnotatedImage withDots(SyntheticScene scene) {
    BufferedImage img = scene.image();
    AnnotatedImage sample = scene.toAnnotatedImage();
    for (AnnotatedInstance in : sample.instances()) {
      if (in.keypoints() == null) {
        continue;
      }
      for (Keypoint k : in.keypoints().points()) {
        if (!k.visibility().isLabeled()) {
          continue;
        }
        for (int y = 0; y < img.getHeight(); y++) {
          for (int x = 0; x < img.getWidth(); x++) {
            double dx = x + 0.5 - k.x();
            double dy = y + 0.5 - k.y();
            if (dx * dx + dy * dy <= DOT_RADIUS * DOT_RADIUS) {
              img.setRGB(x, y, MAGENTA);
            }
          }
        }
      }
    }
    return AnnotatedImage.of(img, sample.instances(), sample.captions());
  }

  @Test
  void aDotPaintedAtAKeypointIsStillUnderItAfterTheChain() {
    int checked = 0;
    for (int s = 0; s < 30; s++) {
      AnnotatedImage out = chain.apply(withDots(gen.generate(s)), new SplittableRandom(s));
      ImageTensor t = out.image();
      for (AnnotatedInstance in : out.instances()) {
        if (in.keypoints() == null) {
          continue;
        }
        for (Keypoint k : in.keypoints().points()) {
          if (!k.visibility().isLabeled()) {
            continue;
          }
          int x = (int) Math.floor(k.x());
          int y = (int) Math.floor(k.y());
          float r = t.get(0, y, x);
          float g = t.get(1, y, x);
          float b = t.get(2, y, x);
          assertTrue(r > 0.85f && g < 0.15f && b > 0.85f, "scene " + s + ": keypoint " + k
              + " of instance " + in.id() + " sits on rgb " + r + "," + g + "," + b);
          checked++;
        }
      }
    }
    assertTrue(checked > 100, "checked " + checked + " keypoints");
  }

  @Test
  void polygonBoundsMatchTheTransformedBoxWithinAPixel() {
    int instances = 0;
    for (int s = 0; s < 30; s++) {
      AnnotatedImage out = chain.apply(gen.generate(s).toAnnotatedImage(),
          new SplittableRandom(100 + s));
      for (AnnotatedInstance in : out.instances()) {
        BoundingBox pb = AreaPolygons.bounds(in.polygons());
        BoundingBox b = in.box();
        assertTrue(Math.abs(pb.xMin() - b.xMin()) <= 1 && Math.abs(pb.yMin() - b.yMin()) <= 1
            && Math.abs(pb.xMax() - b.xMax()) <= 1 && Math.abs(pb.yMax() - b.yMax()) <= 1,
            "scene " + s + " instance " + in.id() + ": box " + b + ", polygon bounds " + pb);
        assertTrue(b.xMin() >= 0 && b.yMin() >= 0 && b.xMax() <= out.width()
            && b.yMax() <= out.height(), "box inside the image: " + b);
        instances++;
      }
      assertEquals(128, out.width());
      assertEquals(128, out.height());
    }
    assertTrue(instances > 50);
  }

  @Test
  void pix2seqOrderGivesTheSquareInputWithBoxesOnTheirPolygons() {
    Augmentation pix2seq = Augmentation.chain(
        ScaleJitter.ofTarget(128, 0.3, 2.0),
        FixedSizeCrop.of(128, 128),
        HorizontalFlip.of(gen.categories(), 0.5),
        PadToSquare.grey(128));
    for (int s = 0; s < 20; s++) {
      AnnotatedImage out = pix2seq.apply(gen.generate(s).toAnnotatedImage(),
          new SplittableRandom(s));
      assertEquals(128, out.width());
      assertEquals(128, out.height());
      for (AnnotatedInstance in : out.instances()) {
        assertBoxEquals(AreaPolygons.bounds(in.polygons()), in.box(), 1);
      }
    }
  }

  @Test
  void theCoordinateMapRecordsTheChainForInstancesThatWereNotCut() {
    int uncutSeen = 0;
    for (int s = 0; s < 20; s++) {
      AnnotatedImage in = gen.generate(s).toAnnotatedImage();
      AnnotatedImage out = chain.apply(in, new SplittableRandom(s));
      CoordinateMap map = out.fromSource();
      assertTrue(map.mirrorsX());
      for (AnnotatedInstance after : out.instances()) {
        AnnotatedInstance before = in.instance(after.id()).orElseThrow();
        BoundingBox mapped = map.apply(before.box());
        double scaledArea = AreaPolygons.totalArea(before.polygons())
            * Math.abs(map.scaleX() * map.scaleY());
        boolean uncut =
            Math.abs(AreaPolygons.totalArea(after.polygons()) - scaledArea) < 1e-6 * scaledArea;
        if (uncut) {
          uncutSeen++;
          assertBoxEquals(mapped, after.box(), 1e-9);
          assertBoxEquals(before.box(), map.inverse().apply(after.box()), 1e-9);
        }
      }
    }
    assertTrue(uncutSeen > 10, uncutSeen + " instances not cut by the crop");
  }

  @Test
  void sameGeneratorSeedGivesTheSameSample() {
    AnnotatedImage in = gen.generate(3).toAnnotatedImage();
    AnnotatedImage a = chain.apply(in, new SplittableRandom(9));
    AnnotatedImage b = chain.apply(in, new SplittableRandom(9));
    AnnotatedImage c = chain.apply(in, new SplittableRandom(10));
    assertEquals(a, b);
    assertTrue(!a.equals(c), "another seed gives another sample");
  }

  @Test
  void croppingCountsTheInstancesItRemoves() {
    int dropped = 0;
    int seen = 0;
    Augmentation tightCrop = new RandomCrop(0.3, 0.4);
    for (int s = 0; s < 20; s++) {
      AnnotatedImage in = gen.generate(s).toAnnotatedImage();
      AnnotatedImage out = tightCrop.apply(in, new SplittableRandom(s));
      assertEquals(in.instances().size(), out.instances().size() + out.droppedInstances());
      dropped += out.droppedInstances();
      seen += in.instances().size();
    }
    assertTrue(dropped > 0 && dropped < seen, dropped + " of " + seen + " dropped");
  }

  static void assertBoxEquals(BoundingBox e, BoundingBox a, double tol) {
    assertEquals(e.xMin(), a.xMin(), tol, "xMin of " + a);
    assertEquals(e.yMin(), a.yMin(), tol, "yMin of " + a);
    assertEquals(e.xMax(), a.xMax(), tol, "xMax of " + a);
    assertEquals(e.yMax(), a.yMax(), tol, "yMax of " + a);
  }

  static List<Point> points(List<Polygon> polygons) {
    List<Point> out = new ArrayList<>();
    polygons.forEach(p -> out.addAll(p.points()));
    return out;
  }
}
