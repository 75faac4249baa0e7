package dev.pix2seq.runtime.predict;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pix2seq.api.value.BoundingBox;
import dev.pix2seq.api.value.Caption;
import dev.pix2seq.api.value.Detection;
import dev.pix2seq.api.value.Keypoint;
import dev.pix2seq.api.value.Keypoints;
import dev.pix2seq.api.value.RleMask;
import dev.pix2seq.api.value.Visibility;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PredictionPainterTest {
  @TempDir Path dir;

  @Test
  void drawsBoxesMasksKeypointsAndCaptionsOnAnEnlargedCopy() throws IOException {
    BufferedImage image = new BufferedImage(40, 20, BufferedImage.TYPE_INT_RGB);
    ObjectInstance person =
        new ObjectInstance(new BoundingBox(20, 2, 30, 18), PredictFixtures.PERSON, 1);
    // A mask covering column 5, rows 0..19 (column-major runs).
    int[] counts = {5 * 20, 20, 40 * 20 - 6 * 20};
    ImagePredictions p = new ImagePredictions(1,
        List.of(new Detection(new BoundingBox(2, 2, 12, 12), PredictFixtures.CAR, 0.8)),
        List.of(new MaskPrediction(person, new RleMask(20, 40, counts), 0.5)),
        List.of(new KeypointPrediction(person, new Keypoints(List.of(
            new Keypoint(25, 5, Visibility.VISIBLE, 1), new Keypoint(22, 10, Visibility.VISIBLE, 1),
            new Keypoint(28, 10, Visibility.VISIBLE, 1),
            new Keypoint(25, 15, Visibility.VISIBLE, 1)),
            1))),
        List.of(new Caption("a car and a person", 0.9)));
    PredictionPainter painter = new PredictionPainter(PredictFixtures.categories(), 400);
    assertEquals(10, painter.scaleFor(40, 20));

    BufferedImage out = painter.paint(image, p);
    assertEquals(400, out.getWidth());
    assertTrue(out.getHeight() > 200, "caption band below the picture");
    assertNotEquals(0, out.getRGB(2 * 10, 8 * 10) & 0xFFFFFF, "box edge drawn");
    assertNotEquals(0, out.getRGB(5 * 10 + 5, 15 * 10) & 0xFFFFFF, "mask filled");
    assertNotEquals(0, out.getRGB(25 * 10, 5 * 10) & 0xFFFFFF, "keypoint drawn");
    assertEquals(0, out.getRGB(35 * 10, 15 * 10) & 0xFFFFFF, "background untouched");

    Path file = dir.resolve("pictures").resolve("1.png");
    painter.writePng(image, p, file);
    BufferedImage read = ImageIO.read(file.toFile());
    assertEquals(out.getWidth(), read.getWidth());
    assertEquals(out.getHeight(), read.getHeight());
  }
}
