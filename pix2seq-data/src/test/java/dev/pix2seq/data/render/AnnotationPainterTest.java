package dev.pix2seq.data.render;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.pix2seq.api.value.BoundingBox;
import dev.pix2seq.api.value.Category;
import dev.pix2seq.api.value.Polygon;
import dev.pix2seq.api.value.PolygonMask;
import dev.pix2seq.api.value.RleMask;
import java.awt.image.BufferedImage;
import java.util.List;
import org.junit.jupiter.api.Test;

class AnnotationPainterTest {
  private static final List<Category> CATEGORIES = List.of(Category.of(7, "square"));

  private static BufferedImage white(int w, int h) {
    BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        img.setRGB(x, y, 0xFFFFFF);
      }
    }
    return img;
  }

  @Test
  void enlargesAndAddsACaptionBar() {
    BufferedImage out =
        new AnnotationPainter(CATEGORIES, 3).paint(white(20, 10), List.of(), List.of("a", "b"));
    assertEquals(60, out.getWidth());
    assertEquals(30 + 2 * 14 + 6, out.getHeight());
  }

  @Test
  void fillsPolygonAndRleMasksInsideOnly() {
    PolygonMask poly = new PolygonMask(List.of(Polygon.ofXy(2, 2, 8, 2, 8, 8, 2, 8)));
    BufferedImage a =
        new AnnotationPainter(CATEGORIES, 1)
            .paint(white(20, 20), List.of(OverlayItem.groundTruth(null, 7, poly, null)), List.of());
    assertNotEquals(0xFFFFFF, a.getRGB(5, 5) & 0xFFFFFF, "inside is tinted");
    assertEquals(0xFFFFFF, a.getRGB(15, 15) & 0xFFFFFF, "outside stays white");

    // Column-major RLE of a 4x4 mask whose second column is set.
    RleMask rle = new RleMask(4, 4, new int[] {4, 4, 8});
    BufferedImage b =
        new AnnotationPainter(CATEGORIES, 2)
            .paint(white(4, 4), List.of(OverlayItem.groundTruth(null, 7, rle, null)), List.of());
    assertNotEquals(0xFFFFFF, b.getRGB(2, 5) & 0xFFFFFF);
    assertEquals(0xFFFFFF, b.getRGB(0, 5) & 0xFFFFFF);
    assertEquals(0xFFFFFF, b.getRGB(5, 5) & 0xFFFFFF);
  }

  @Test
  void drawsTheBoxOutline() {
    BufferedImage out =
        new AnnotationPainter(CATEGORIES, 2)
            .paint(white(40, 40),
                List.of(new OverlayItem(new BoundingBox(5, 20, 30, 35), 7, 0.5, null, null)),
                List.of());
    assertNotEquals(0xFFFFFF, out.getRGB(30, 70) & 0xFFFFFF, "bottom edge drawn");
    assertEquals(0xFFFFFF, out.getRGB(30, 55) & 0xFFFFFF, "inside untouched");
    assertThrows(IllegalArgumentException.class, () -> new AnnotationPainter(CATEGORIES, 0));
  }
}
