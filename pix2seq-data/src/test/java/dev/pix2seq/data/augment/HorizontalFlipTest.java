package dev.pix2seq.data.augment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pix2seq.api.value.BoundingBox;
import dev.pix2seq.api.value.Category;
import dev.pix2seq.api.value.ImageTensor;
import dev.pix2seq.api.value.Keypoint;
import dev.pix2seq.api.value.KeypointSchema;
import dev.pix2seq.api.value.Keypoints;
import dev.pix2seq.api.value.Point;
import dev.pix2seq.api.value.Visibility;
import dev.pix2seq.data.synth.SceneOptions;
import dev.pix2seq.data.synth.SyntheticSceneGenerator;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class HorizontalFlipTest {
  private final SyntheticSceneGenerator gen = new SyntheticSceneGenerator(
      SceneOptions.defaults().withSeed(4).withPersonProbability(0.7).withObjects(2, 4));
  private final HorizontalFlip flip = HorizontalFlip.of(gen.categories(), 1.0);

  @Test
  void flippingTwiceGivesTheSampleBack() {
    for (int s = 0; s < 10; s++) {
      AnnotatedImage in = gen.generate(s).toAnnotatedImage();
      AnnotatedImage twice = flip.flip(flip.flip(in));
      assertEquals(in.image(), twice.image());
      assertEquals(in.captions(), twice.captions());
      assertEquals(CoordinateMap.IDENTITY, twice.fromSource());
      assertEquals(in.instances().size(), twice.instances().size());
      for (int i = 0; i < in.instances().size(); i++) {
        AnnotatedInstance a = in.instances().get(i);
        AnnotatedInstance b = twice.instances().get(i);
        AugmentationChainTest.assertBoxEquals(a.box(), b.box(), 1e-9);
        List<Point> pa = AugmentationChainTest.points(a.polygons());
        List<Point> pb = AugmentationChainTest.points(b.polygons());
        assertEquals(pa.size(), pb.size());
        for (int k = 0; k < pa.size(); k++) {
          assertEquals(pa.get(k).x(), pb.get(k).x(), 1e-9);
          assertEquals(pa.get(k).y(), pb.get(k).y(), 1e-9);
        }
        if (a.keypoints() != null) {
          for (int k = 0; k < a.keypoints().points().size(); k++) {
            Keypoint ka = a.keypoints().points().get(k);
            Keypoint kb = b.keypoints().points().get(k);
            assertEquals(ka.visibility(), kb.visibility());
            assertEquals(ka.x(), kb.x(), 1e-9);
            assertEquals(ka.y(), kb.y(), 1e-9);
          }
        }
      }
    }
  }

  @Test
  void leftAndRightKeypointsSwapAndMirror() {
    KeypointSchema schema = SyntheticSceneGenerator.PERSON_KEYPOINTS;
    int leftHand = schema.names().indexOf("left_hand");
    int rightHand = schema.names().indexOf("right_hand");
    int head = schema.names().indexOf("head");
    int people = 0;
    for (int s = 0; s < 10; s++) {
      AnnotatedImage in = gen.generate(s).toAnnotatedImage();
      AnnotatedImage out = flip.flip(in);
      for (int i = 0; i < in.instances().size(); i++) {
        Keypoints before = in.instances().get(i).keypoints();
        if (before == null) {
          continue;
        }
        people++;
        Keypoints after = out.instances().get(i).keypoints();
        assertMirror(before.points().get(rightHand), after.points().get(leftHand), in.width());
        assertMirror(before.points().get(leftHand), after.points().get(rightHand), in.width());
        assertMirror(before.points().get(head), after.points().get(head), in.width());
      }
    }
    assertTrue(people > 3);
  }

  private static void assertMirror(Keypoint before, Keypoint after, int width) {
    assertEquals(before.visibility(), after.visibility());
    if (before.visibility().isLabeled()) {
      assertEquals(width - before.x(), after.x(), 1e-9);
      assertEquals(before.y(), after.y(), 1e-12);
    }
  }

  @Test
  void pixelsAndBoxesMirror() {
    AnnotatedImage in = gen.generate(1).toAnnotatedImage();
    AnnotatedImage out = flip.flip(in);
    int w = in.width();
    for (int y = 0; y < in.height(); y += 7) {
      for (int x = 0; x < w; x++) {
        assertEquals(in.image().get(1, y, x), out.image().get(1, y, w - 1 - x));
      }
    }
    BoundingBox b = in.instances().get(0).box();
    assertEquals(b.flipHorizontal(w), out.instances().get(0).box());
  }

  @Test
  void captionsSwapLeftAndRightWordsOnly() {
    assertEquals("a red circle right of a blue square",
        HorizontalFlip.mirrorCaption("a red circle left of a blue square"));
    assertEquals("Right of the LEFT one, the leftmost, leftover rights",
        HorizontalFlip.mirrorCaption("Left of the RIGHT one, the rightmost, leftover rights"));
    assertEquals("two green triangles", HorizontalFlip.mirrorCaption("two green triangles"));
  }

  @Test
  void probabilityDecidesAndTheGeneratorIsAlwaysConsulted() {
    AnnotatedImage in = gen.generate(2).toAnnotatedImage();
    SplittableRandom r = new SplittableRandom(1);
    SplittableRandom control = new SplittableRandom(1);
    assertSame(in, new HorizontalFlip(0, flip.schemas()).apply(in, r));
    control.nextDouble();
    assertEquals(control.nextLong(), r.nextLong());
  }

  @Test
  void keypointsWithoutASchemaAreRejected() {
    Keypoints kps = new Keypoints(List.of(new Keypoint(1, 1, Visibility.VISIBLE, 1)), 1);
    AnnotatedImage s = AnnotatedImage.of(ImageTensor.zeros(4, 4),
        List.of(AnnotatedInstance.of(7, 9, new BoundingBox(0, 0, 2, 2), List.of(), kps)),
        List.of());
    HorizontalFlip f = HorizontalFlip.of(List.of(Category.of(9, "thing")), 1);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> f.flip(s));
    assertTrue(e.getMessage().contains("category 9"), e.getMessage());
  }
}
