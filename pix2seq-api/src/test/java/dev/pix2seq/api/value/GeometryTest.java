package dev.pix2seq.api.value;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class GeometryTest {

  @Test
  void boxConversionsAndIou() {
    BoundingBox b = BoundingBox.ofXywh(10, 20, 30, 40);
    assertArrayEquals(new double[] {10, 20, 30, 40}, b.toXywh());
    assertEquals(1200, b.area());
    assertEquals(new BoundingBox(60, 20, 90, 60), b.flipHorizontal(100));
    assertEquals(1.0, b.iou(b));
    assertEquals(0.0, b.iou(BoundingBox.ofXywh(100, 100, 5, 5)));
    assertEquals(1.0 / 3, BoundingBox.ofXywh(0, 0, 2, 1).iou(BoundingBox.ofXywh(1, 0, 2, 1)), 1e-12);
    assertThrows(IllegalArgumentException.class, () -> new BoundingBox(5, 0, 4, 1));
    assertThrows(IllegalArgumentException.class, () -> new BoundingBox(Double.NaN, 0, 4, 1));
  }

  @Test
  void polygonAreaAndBounds() {
    Polygon p = Polygon.ofXy(0, 0, 4, 0, 4, 3);
    assertEquals(6, p.area(), 1e-12);
    assertEquals(new BoundingBox(0, 0, 4, 3), p.bounds());
    assertArrayEquals(new double[] {0, 0, 4, 0, 4, 3}, p.toXy());
    assertThrows(IllegalArgumentException.class, () -> Polygon.ofXy(0, 0, 1, 1));
    assertThrows(IllegalArgumentException.class, () -> Polygon.ofXy(0, 0, 1, 1, 2));
  }

  @Test
  void flipPermutationSwapsLeftAndRight() {
    KeypointSchema s =
        new KeypointSchema(
            List.of("nose", "left_eye", "right_eye", "l_hand", "r_hand", "knee_left", "knee_right"),
            List.of(new KeypointSchema.Edge(0, 1)));
    assertArrayEquals(new int[] {0, 2, 1, 4, 3, 6, 5}, s.flipPermutation());
    assertThrows(
        IllegalArgumentException.class,
        () -> new KeypointSchema(List.of("a"), List.of(new KeypointSchema.Edge(0, 1))));
  }

  @Test
  void visibilityFlags() {
    assertEquals(Visibility.OCCLUDED, Visibility.ofCocoFlag(1));
    assertThrows(IllegalArgumentException.class, () -> Visibility.ofCocoFlag(3));
    Keypoints k =
        new Keypoints(
            List.of(new Keypoint(1, 2, Visibility.VISIBLE, 1), Keypoint.unlabeled()), 1);
    assertEquals(1, k.labeledCount());
    assertArrayEquals(new double[] {1, 2, 2, 0, 0, 0}, k.toCocoArray());
  }
}
