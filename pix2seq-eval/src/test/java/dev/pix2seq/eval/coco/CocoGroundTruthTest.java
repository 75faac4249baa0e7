package dev.pix2seq.eval.coco;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Ground truth keeps each box as written, since pycocotools computes IoU from x, y, w, h. */
class CocoGroundTruthTest {
  @TempDir Path dir;

  @Test
  void boxesAreTheFilesNumbersNotCornerDifferences() throws Exception {
    Path file = new TinyCoco().image(4).box(7, 4, 3, 0.1, 0.2, 0.2, 0.7, false).write(dir);
    CocoGroundTruth read = CocoGroundTruth.read(file);
    assertArrayEquals(new double[] {0.1, 0.2, 0.2, 0.7}, read.box(0), 0.0);
    CocoGroundTruth derived = CocoGroundTruth.of(read.dataset());
    assertNotEquals(0.2, derived.box(0)[2], "(0.1 + 0.2) - 0.1 is not 0.2");
    assertEquals(0.1, derived.box(0)[0], 0.0);
  }

  @Test
  void anIouExactlyAtTheThresholdMatchesWithTheFilesBox() throws Exception {
    // IoU of [0.1, 0, 0.2, 1] with [0.2, 0, 0.2, 1] computed as pycocotools does it.
    double x1 = Math.min(0.1 + 0.2, 0.2 + 0.2) - Math.max(0.1, 0.2);
    double iou = x1 / (0.2 + 0.2 - x1);
    Path file = new TinyCoco().image(4).box(7, 4, 3, 0.1, 0, 0.2, 1, false).write(dir);
    CocoGroundTruth gt = CocoGroundTruth.read(file);
    CocoEvalParams p = CocoEvalParams.builder(IouType.BBOX).optIouThrs(iou).build();
    CocoResults r = CocoResults.of(gt, List.of(CocoDetection.ofBox(4, 3, 1, 0.2, 0, 0.2, 1)));
    ImageEvaluation e = new CocoEvaluator().evaluateImages(gt, r, p).get(0);
    assertArrayEquals(new long[] {7}, e.dtMatches()[0]);
  }
}
