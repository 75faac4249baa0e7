package dev.pix2seq.data.synth;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pix2seq.api.value.BoundingBox;
import dev.pix2seq.api.value.Keypoint;
import dev.pix2seq.api.value.KeypointSchema;
import dev.pix2seq.api.value.Point;
import dev.pix2seq.api.value.Polygon;
import dev.pix2seq.api.value.Visibility;
import dev.pix2seq.data.augment.AreaPolygons;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SyntheticSceneGeneratorTest {
  private static final int SCENES = 40;
  private static final int NOISE = 4;
  private final SyntheticSceneGenerator gen =
      new SyntheticSceneGenerator(SceneOptions.defaults().withSeed(11).withNoise(NOISE, true));

  private static int[] pixels(BufferedImage img) {
    return img.getRGB(0, 0, img.getWidth(), img.getHeight(), null, 0, img.getWidth());
  }

  /** The scene colour within noise of the pixel, or null for background. */
  private static SceneColor colourOf(int rgb, int tolerance) {
    for (SceneColor c : SceneColor.values()) {
      if (Math.abs(((rgb >> 16) & 0xff) - c.red()) <= tolerance
          && Math.abs(((rgb >> 8) & 0xff) - c.green()) <= tolerance
          && Math.abs((rgb & 0xff) - c.blue()) <= tolerance) {
        return c;
      }
    }
    return null;
  }

  @Test
  void sameSeedAndIndexGiveTheSameScene() {
    SyntheticSceneGenerator other =
        new SyntheticSceneGenerator(SceneOptions.defaults().withSeed(11).withNoise(NOISE, true));
    for (int i : new int[] {0, 7, 123}) {
      SyntheticScene a = gen.generate(i);
      SyntheticScene b = other.generate(i);
      assertArrayEquals(pixels(a.image()), pixels(b.image()), "pixels of scene " + i);
      assertEquals(a.instances(), b.instances(), "instances of scene " + i);
      assertEquals(a.captions(), b.captions(), "captions of scene " + i);
    }
  }

  @Test
  void differentSeedOrIndexGivesADifferentScene() {
    SyntheticSceneGenerator other =
        new SyntheticSceneGenerator(SceneOptions.defaults().withSeed(12));
    assertFalse(Arrays.equals(pixels(gen.generate(3).image()),
        pixels(other.generate(3).image())));
    assertFalse(Arrays.equals(pixels(gen.generate(3).image()),
        pixels(gen.generate(4).image())));
  }

  @Test
  void polygonsRasteriseToExactlyThePixelsOfTheirColour() {
    for (int s = 0; s < SCENES; s++) {
      SyntheticScene scene = gen.generate(s);
      int w = scene.image().getWidth();
      int h = scene.image().getHeight();
      int[] px = pixels(scene.image());
      List<boolean[]> masks = new ArrayList<>();
      for (SceneInstance in : scene.instances()) {
        masks.add(ScanlineRasterizer.fill(in.polygons(), w, h));
      }
      SceneColor[] seen = new SceneColor[px.length];
      for (int i = 0; i < px.length; i++) {
        seen[i] = colourOf(px[i], NOISE);
      }
      for (SceneColor c : SceneColor.values()) {
        boolean[] drawn = new boolean[w * h];
        for (int i = 0; i < px.length; i++) {
          drawn[i] = seen[i] == c;
        }
        boolean[] annotated = new boolean[w * h];
        for (int k = 0; k < masks.size(); k++) {
          if (scene.instances().get(k).color() == c) {
            for (int i = 0; i < annotated.length; i++) {
              annotated[i] |= masks.get(k)[i];
            }
          }
        }
        int diff = ScanlineRasterizer.difference(drawn, annotated);
        assertTrue(diff <= 1, "scene " + s + ", colour " + c + ": " + diff
            + " pixels differ between the image and the annotation polygons");
      }
      // Visible regions of different instances do not overlap.
      for (int a = 0; a < masks.size(); a++) {
        for (int b = a + 1; b < masks.size(); b++) {
          int overlap = 0;
          for (int i = 0; i < w * h; i++) {
            if (masks.get(a)[i] && masks.get(b)[i]) {
              overlap++;
            }
          }
          assertEquals(0, overlap, "scene " + s + ": instances " + a + " and " + b + " overlap"
              + " in " + overlap + " pixels");
        }
      }
    }
  }

  @Test
  void boxesAreTheBoundsOfTheVisiblePolygonsInsideTheFrame() {
    for (int s = 0; s < SCENES; s++) {
      SyntheticScene scene = gen.generate(s);
      for (SceneInstance in : scene.instances()) {
        BoundingBox b = in.box();
        assertEquals(AreaPolygons.bounds(in.polygons()), b, "scene " + s);
        assertTrue(b.xMin() >= 0 && b.yMin() >= 0 && b.xMax() <= 128 && b.yMax() <= 128,
            "scene " + s + " box " + b);
        assertTrue(b.width() > 0 && b.height() > 0, "scene " + s + " box " + b);
        for (Polygon p : in.polygons()) {
          assertTrue(p.points().size() >= Polygon.MIN_POINTS);
          for (Point q : p.points()) {
            assertTrue(q.x() >= b.xMin() && q.x() <= b.xMax() && q.y() >= b.yMin()
                && q.y() <= b.yMax());
          }
        }
        assertEquals(AreaPolygons.totalArea(in.polygons()), in.area(), 1e-9);
        assertTrue(in.area() > 0 && in.area() <= b.area() + 1e-9);
      }
    }
  }

  @Test
  void keypointsAreInFrameWhenLabeledAndMatchWhatIsDrawn() {
    int visible = 0;
    int visibleOnFigure = 0;
    int occluded = 0;
    int occludedUnderLaterObject = 0;
    for (int s = 0; s < 80; s++) {
      SyntheticScene scene = gen.generate(s);
      List<SceneInstance> list = scene.instances();
      List<boolean[]> masks = new ArrayList<>();
      for (SceneInstance in : list) {
        masks.add(ScanlineRasterizer.fill(in.polygons(), 128, 128));
      }
      for (int k = 0; k < list.size(); k++) {
        SceneInstance in = list.get(k);
        if (in.keypoints() == null) {
          assertTrue(in.kind() != SceneObjectKind.PERSON);
          continue;
        }
        assertEquals(SyntheticSceneGenerator.PERSON_KEYPOINTS.size(),
            in.keypoints().points().size());
        for (Keypoint kp : in.keypoints().points()) {
          if (!kp.visibility().isLabeled()) {
            assertEquals(0, kp.x());
            assertEquals(0, kp.y());
            continue;
          }
          assertTrue(kp.x() >= 0 && kp.x() < 128 && kp.y() >= 0 && kp.y() < 128,
              "labeled keypoint in frame: " + kp);
          int pixel = (int) kp.y() * 128 + (int) kp.x();
          if (kp.visibility() == Visibility.VISIBLE) {
            visible++;
            if (masks.get(k)[pixel]) {
              visibleOnFigure++;
            }
          } else {
            occluded++;
            for (int later = k + 1; later < list.size(); later++) {
              if (masks.get(later)[pixel]) {
                occludedUnderLaterObject++;
                break;
              }
            }
          }
        }
      }
    }
    assertTrue(visible > 100 && occluded > 10, visible + " visible, " + occluded + " occluded");
    assertTrue(visibleOnFigure >= 0.97 * visible,
        visibleOnFigure + " of " + visible + " visible keypoints lie on their figure's pixels");
    assertTrue(occludedUnderLaterObject >= 0.9 * occluded, occludedUnderLaterObject + " of "
        + occluded + " occluded keypoints lie under a later object's pixels");
  }

  @Test
  void scenesCoverEveryKindColourAndVisibility() {
    Set<SceneObjectKind> kinds = EnumSet.noneOf(SceneObjectKind.class);
    Set<SceneColor> colours = EnumSet.noneOf(SceneColor.class);
    Set<Visibility> vis = EnumSet.noneOf(Visibility.class);
    boolean multiPart = false;
    for (int s = 0; s < 100; s++) {
      for (SceneInstance in : gen.generate(s).instances()) {
        kinds.add(in.kind());
        colours.add(in.color());
        multiPart |= in.polygons().size() > 1;
        if (in.keypoints() != null) {
          in.keypoints().points().forEach(k -> vis.add(k.visibility()));
        }
      }
    }
    assertEquals(EnumSet.allOf(SceneObjectKind.class), kinds);
    assertEquals(EnumSet.allOf(SceneColor.class), colours);
    assertEquals(EnumSet.allOf(Visibility.class), vis);
    assertTrue(multiPart, "some occluded object is split into several polygons");
  }

  @Test
  void captionsDescribeWhatIsInTheScene() {
    List<String> colourWords = SceneColor.SHAPE_COLORS.stream().map(SceneColor::word).toList();
    for (int s = 0; s < 100; s++) {
      SyntheticScene scene = gen.generate(s);
      List<String> caps = scene.captions();
      assertTrue(caps.size() >= 3 && caps.size() <= 5, "scene " + s + ": " + caps);
      assertEquals(caps.size(), Set.copyOf(caps).size(), "distinct: " + caps);
      for (String c : caps) {
        assertTrue(c.matches("[a-z]+( [a-z]+)*"), "lower case words only: '" + c + "'");
        for (String word : c.split(" ")) {
          if (colourWords.contains(word)) {
            assertTrue(scene.instances().stream().anyMatch(i -> i.color().word().equals(word)),
                "scene " + s + ": caption '" + c + "' names " + word + " which is absent");
          }
        }
      }
      String canonical = scene.canonicalCaption();
      for (SceneInstance in : scene.instances()) {
        String one = SceneCaptioner.singular(in);
        String many = SceneCaptioner.plural(in);
        assertTrue(canonical.contains(one) || canonical.contains(many),
            "scene " + s + ": '" + canonical + "' should mention " + one);
      }
    }
  }

  @Test
  void canonicalCaptionListsGroupsLeftToRightWithCounts() {
    List<SceneInstance> list = List.of(
        square(SceneColor.BLUE, 90), square(SceneColor.RED, 10), square(SceneColor.BLUE, 50));
    assertEquals("a red square and two blue squares", SceneCaptioner.canonical(list));
  }

  private static SceneInstance square(SceneColor c, double x) {
    Polygon p = Polygon.ofXy(x, 10, x + 10, 10, x + 10, 20, x, 20);
    return new SceneInstance(SceneObjectKind.SQUARE, c, p.bounds(), List.of(p), p.area(), null);
  }

  @Test
  void emptyScenesHaveThreeCaptionsAndNoInstances() {
    SyntheticSceneGenerator empty =
        new SyntheticSceneGenerator(SceneOptions.defaults().withObjects(0, 0));
    SyntheticScene scene = empty.generate(0);
    assertTrue(scene.instances().isEmpty());
    assertEquals(3, scene.captions().size());
  }

  @Test
  void figureKeypointsMirrorLeftAndRight() {
    KeypointSchema schema = SyntheticSceneGenerator.PERSON_KEYPOINTS;
    int[] perm = schema.flipPermutation();
    for (int i = 0; i < schema.size(); i++) {
      String name = schema.names().get(i);
      String mirrored = schema.names().get(perm[i]);
      if (name.startsWith("left_")) {
        assertEquals("right_" + name.substring(5), mirrored);
      } else if (name.startsWith("right_")) {
        assertEquals("left_" + name.substring(6), mirrored);
      } else {
        assertEquals(name, mirrored);
      }
    }
    assertEquals(5, gen.categories().size());
    assertEquals(schema, gen.categories().get(0).keypoints());
  }

  @Test
  void optionsAreValidated() {
    SceneOptions d = SceneOptions.defaults();
    assertThrows(IllegalArgumentException.class, () -> d.withSize(8, 128));
    assertThrows(IllegalArgumentException.class, () -> d.withObjects(3, 2));
    assertThrows(IllegalArgumentException.class, () -> d.withPersonProbability(1.5));
    assertNotEquals(d, d.withSeed(1));
  }
}
