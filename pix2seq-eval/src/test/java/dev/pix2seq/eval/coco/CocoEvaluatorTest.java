package dev.pix2seq.eval.coco;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pix2seq.api.DatasetException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The rules of COCOeval, each on a small hand-built case. */
class CocoEvaluatorTest {
  private static final CocoEvalParams BBOX = CocoEvalParams.defaults(IouType.BBOX);
  /** pycocotools' precision for a perfect ranking: tp / (tp + fp + eps). */
  private static final double PERFECT = 1 / (1 + Math.ulp(1.0));
  @TempDir Path dir;

  @Test
  void aCrowdRegionAbsorbsAnyNumberOfDetections() throws Exception {
    CocoGroundTruth gt = CocoGroundTruth.read(new TinyCoco().image(4)
        .box(1, 4, 3, 10, 10, 20, 30, false)
        .box(2, 4, 3, 50, 10, 40, 60, true).write(dir));
    List<CocoDetection> dets = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      dets.add(CocoDetection.ofBox(4, 3, 0.95 - i * 0.01, 52 + 5 * i, 12 + 6 * i, 8, 8));
    }
    dets.add(CocoDetection.ofBox(4, 3, 0.5, 10, 10, 20, 30));
    CocoResults results = CocoResults.of(gt, dets);
    CocoEvalResult r = new CocoEvaluator(2).evaluate(gt, results, BBOX);
    assertEquals(PERFECT, r.stats()[0], 0.0, "higher-scored detections in the crowd cost nothing");
    ImageEvaluation e = all(gt, results, BBOX).get(0);
    assertArrayEquals(new long[] {1, 2}, e.gtIds());
    assertArrayEquals(new boolean[] {false, true}, e.gtIgnore());
    for (int t = 0; t < 10; t++) {
      assertArrayEquals(new long[] {2, 2, 2, 2, 2, 2, 1}, e.dtMatches()[t], "t=" + t);
      assertArrayEquals(new boolean[] {true, true, true, true, true, true, false},
          e.dtIgnore()[t], "t=" + t);
    }
  }

  @Test
  void equalScoresAcrossImagesGoInImageOrder() throws Exception {
    CocoGroundTruth gt = CocoGroundTruth.read(new TinyCoco().image(4).image(7)
        .box(1, 7, 3, 10, 10, 20, 20, false).write(dir));
    CocoResults falseFirst = CocoResults.of(gt, List.of(
        CocoDetection.ofBox(7, 3, 0.5, 10, 10, 20, 20),
        CocoDetection.ofBox(4, 3, 0.5, 60, 40, 20, 20)));
    assertEquals(1 / (2 + Math.ulp(1.0)),
        new CocoEvaluator().evaluate(gt, falseFirst, BBOX).stats()[0], 0.0,
        "image 4's false positive ranks before image 7's true positive");

    CocoGroundTruth swapped = CocoGroundTruth.read(new TinyCoco().image(4).image(7)
        .box(1, 4, 3, 10, 10, 20, 20, false).write(dir));
    CocoResults trueFirst = CocoResults.of(swapped, List.of(
        CocoDetection.ofBox(7, 3, 0.5, 60, 40, 20, 20),
        CocoDetection.ofBox(4, 3, 0.5, 10, 10, 20, 20)));
    assertEquals(PERFECT, new CocoEvaluator().evaluate(swapped, trueFirst, BBOX).stats()[0],
        0.0);
  }

  @Test
  void equalScoresInAnImageKeepFileOrder() throws Exception {
    CocoGroundTruth gt = CocoGroundTruth.read(new TinyCoco().image(4)
        .box(1, 4, 3, 10, 10, 20, 20, false).write(dir));
    CocoResults results = CocoResults.of(gt, List.of(
        CocoDetection.ofBox(4, 3, 0.5, 11, 10, 20, 20),
        CocoDetection.ofBox(4, 3, 0.5, 10, 10, 20, 20)));
    ImageEvaluation e = all(gt, results, BBOX).get(0);
    assertArrayEquals(new long[] {1, 2}, e.dtIds());
    assertArrayEquals(new long[] {1, 0}, e.dtMatches()[0], "the earlier entry wins the match");
    // IoU of the first is 380/420 = 0.905, so at 0.95 only the exact box matches.
    assertArrayEquals(new long[] {0, 1}, e.dtMatches()[9]);
  }

  @Test
  void detectionsBeyondMaxDetsAreCutPerImageAndCategory() throws Exception {
    CocoGroundTruth gt = CocoGroundTruth.read(new TinyCoco().image(4)
        .box(1, 4, 3, 10, 10, 20, 20, false).write(dir));
    List<CocoDetection> dets = new ArrayList<>();
    for (int i = 0; i < 120; i++) {
      dets.add(CocoDetection.ofBox(4, 3, 0.9 - i * 0.001, 60, 50, 10, 10));
    }
    dets.add(CocoDetection.ofBox(4, 3, 0.01, 10, 10, 20, 20));
    for (int i = 0; i < 50; i++) {
      dets.add(CocoDetection.ofBox(4, 1, 0.99, 60, 50, 10, 10));
    }
    CocoResults results = CocoResults.of(gt, dets);
    double[] cut = new CocoEvaluator().evaluate(gt, results, BBOX).stats();
    assertEquals(0.0, cut[8], 0.0, "AR@100: the true positive ranks 121st");
    CocoEvalParams wide = BBOX.toBuilder().optMaxDets(1, 10, 200).build();
    double[] kept = new CocoEvaluator().evaluate(gt, results, wide).stats();
    assertEquals(1.0, kept[8], 0.0, "AR@200");
    assertEquals(-1.0, kept[0], 0.0, "stats[0] reads maxDets=100, which is not evaluated");
    assertEquals(121, all(gt, results, wide).stream().filter(e -> e.categoryId() == 3)
        .findFirst().orElseThrow().dtIds().length);
  }

  @Test
  void emptyResultsGiveZeroWhereThereIsGroundTruthAndMinusOneElsewhere() throws Exception {
    CocoGroundTruth gt = CocoGroundTruth.read(new TinyCoco().image(4).image(7)
        .box(1, 4, 3, 10, 10, 20, 20, false)
        .box(2, 7, 3, 0, 0, 100, 80, false).write(dir));
    CocoResults none = CocoResultsReader.read(TinyCoco.results(dir, "[]"), gt);
    CocoEvalResult r = new CocoEvaluator().evaluate(gt, none, BBOX);
    assertArrayEquals(new double[] {0, 0, 0, 0, 0, -1, 0, 0, 0, 0, 0, -1}, r.stats(), 0.0);
    assertEquals(Map.of(1, -1.0, 3, 0.0), r.perCategoryAp());
  }

  @Test
  void aCategoryWithoutGroundTruthIsLeftOutOfTheMeans() throws Exception {
    CocoGroundTruth gt = CocoGroundTruth.read(new TinyCoco().image(4)
        .box(1, 4, 3, 10, 10, 20, 20, false).write(dir));
    CocoResults results = CocoResults.of(gt, List.of(
        CocoDetection.ofBox(4, 3, 0.9, 10, 10, 20, 20),
        CocoDetection.ofBox(4, 1, 0.95, 50, 50, 20, 20)));
    CocoEvalResult r = new CocoEvaluator().evaluate(gt, results, BBOX);
    assertEquals(List.of(1, 3), List.copyOf(r.perCategoryAp().keySet()));
    assertEquals(-1.0, r.perCategoryAp().get(1), 0.0);
    assertEquals(PERFECT, r.perCategoryAp().get(3), 0.0);
    assertEquals(PERFECT, r.stats()[0], 0.0);
    assertEquals(-1.0, r.precision(0, 0, 0, 0, 2), 0.0);
    assertEquals(-1.0, r.recall(0, 0, 0, 2), 0.0);
  }

  @Test
  void groundTruthWithIdZeroNeverCountsAsMatched() throws Exception {
    CocoGroundTruth gt = CocoGroundTruth.read(new TinyCoco().image(4)
        .box(0, 4, 3, 10, 10, 20, 20, false).write(dir));
    CocoResults results = CocoResults.of(gt, List.of(CocoDetection.ofBox(4, 3, 0.9, 10, 10, 20,
        20)));
    assertEquals(0.0, new CocoEvaluator().evaluate(gt, results, BBOX).stats()[0], 0.0);
    assertArrayEquals(new long[] {0}, all(gt, results, BBOX).get(0).dtMatches()[0]);
  }

  @Test
  void areaRangeEndsAreInclusive() throws Exception {
    CocoGroundTruth gt = CocoGroundTruth.read(new TinyCoco().image(4)
        .box(1, 4, 3, 10, 10, 32, 32, false)
        .box(2, 4, 3, 50, 10, 20, 20, false, 9216).write(dir));
    CocoResults results = CocoResults.of(gt, List.of(CocoDetection.ofBox(4, 3, 0.9, 0, 60, 32,
        32)));
    List<ImageEvaluation> evals = new CocoEvaluator().evaluateImages(gt, results, BBOX);
    assertEquals(4, evals.size());
    assertEquals("all", evals.get(0).areaRange().label());
    assertArrayEquals(new boolean[] {false, false}, evals.get(0).gtIgnore());
    assertEquals("small", evals.get(1).areaRange().label());
    assertArrayEquals(new long[] {1, 2}, evals.get(1).gtIds());
    assertArrayEquals(new boolean[] {false, true}, evals.get(1).gtIgnore());
    assertEquals("medium", evals.get(2).areaRange().label());
    assertArrayEquals(new boolean[] {false, false}, evals.get(2).gtIgnore(),
        "1024 and 9216 are both medium");
    assertFalse(evals.get(2).dtIgnore()[0][0], "an unmatched 1024 box counts in medium");
    assertEquals("large", evals.get(3).areaRange().label());
    assertArrayEquals(new long[] {2, 1}, evals.get(3).gtIds(), "not ignored first");
    assertArrayEquals(new boolean[] {false, true}, evals.get(3).gtIgnore());
    assertTrue(evals.get(3).dtIgnore()[0][0], "an unmatched 1024 box is ignored in large");
  }

  @Test
  void keypointGroundTruthWithoutLabeledKeypointsIsIgnored() throws Exception {
    CocoGroundTruth gt = CocoGroundTruth.read(new TinyCoco().image(4)
        .person(1, 4, 10, 10, 20, 50, new double[51])
        .person(2, 4, 50, 10, 20, 50, TinyCoco.line(60, 12, 2)).write(dir));
    CocoResults results = CocoResults.of(gt, List.of(
        CocoDetection.ofKeypoints(4, 1, 0.9, TinyCoco.line(20, 15, 2)),
        CocoDetection.ofKeypoints(4, 1, 0.8, TinyCoco.line(60, 12, 2))));
    CocoEvalParams kp = CocoEvalParams.defaults(IouType.KEYPOINTS);
    ImageEvaluation e = all(gt, results, kp).get(0);
    assertArrayEquals(new long[] {2, 1}, e.gtIds());
    assertArrayEquals(new boolean[] {false, true}, e.gtIgnore());
    assertArrayEquals(new long[] {1, 2}, e.dtMatches()[0], "the first matches the ignored one "
        + "through the grown box");
    assertArrayEquals(new boolean[] {true, false}, e.dtIgnore()[0]);
    assertEquals(PERFECT, new CocoEvaluator().evaluate(gt, results, kp).stats()[0], 0.0);
  }

  @Test
  void anImageSubsetEqualsEvaluatingThoseImagesAlone() throws Exception {
    CocoGroundTruth both = CocoGroundTruth.read(new TinyCoco().image(4).image(7)
        .box(1, 4, 3, 10, 10, 20, 20, false)
        .box(2, 7, 3, 30, 30, 20, 40, false)
        .box(3, 7, 3, 60, 10, 30, 20, false).write(dir));
    List<CocoDetection> dets = List.of(
        CocoDetection.ofBox(4, 3, 0.9, 50, 50, 20, 20),
        CocoDetection.ofBox(7, 3, 0.8, 31, 30, 20, 38),
        CocoDetection.ofBox(7, 3, 0.7, 61, 11, 30, 20),
        CocoDetection.ofBox(7, 3, 0.95, 0, 60, 10, 10));
    CocoEvalParams only7 = BBOX.toBuilder().optImgIds(List.of(7L)).build();
    double[] subset = new CocoEvaluator().evaluate(both, CocoResults.of(both, dets), only7)
        .stats();
    Path other = dir.resolve("alone");
    java.nio.file.Files.createDirectories(other);
    CocoGroundTruth alone = CocoGroundTruth.read(new TinyCoco().image(7)
        .box(2, 7, 3, 30, 30, 20, 40, false)
        .box(3, 7, 3, 60, 10, 30, 20, false).write(other));
    double[] direct = new CocoEvaluator().evaluate(alone,
        CocoResults.of(alone, dets.subList(1, 4)), BBOX).stats();
    assertArrayEquals(direct, subset, 0.0);
    assertTrue(subset[0] > 0 && subset[0] < 1, Arrays.toString(subset));
  }

  @Test
  void missingMasksAndForeignResultsAreReported() throws Exception {
    CocoGroundTruth gt = CocoGroundTruth.read(new TinyCoco().image(4)
        .person(1, 4, 10, 10, 20, 50, TinyCoco.line(20, 15, 2)).write(dir));
    CocoResults results = CocoResults.of(gt, List.of(CocoDetection.ofBox(4, 1, 0.9, 10, 10, 20,
        50)));
    DatasetException e = assertThrows(DatasetException.class, () -> new CocoEvaluator()
        .evaluate(gt, results, CocoEvalParams.defaults(IouType.SEGM)));
    assertTrue(e.getMessage().contains("annotation id 1: segm evaluation needs a segmentation"),
        e.getMessage());
    DatasetException k = assertThrows(DatasetException.class, () -> new CocoEvaluator()
        .evaluate(gt, results, CocoEvalParams.defaults(IouType.KEYPOINTS)));
    assertTrue(k.getMessage().contains("results[0].keypoints: keypoints evaluation needs "
        + "keypoints"), k.getMessage());
    CocoGroundTruth again = CocoGroundTruth.read(dir.resolve("gt.json"));
    assertThrows(IllegalArgumentException.class,
        () -> new CocoEvaluator().evaluate(again, results, BBOX));
  }

  @Test
  void boxResultsWithoutMasksAreEvaluatedAsBoxPolygonsForSegm() throws Exception {
    CocoGroundTruth gt = CocoGroundTruth.read(new TinyCoco().image(4)
        .box(1, 4, 3, 10, 10, 20, 20, false).write(dir));
    CocoResults results = CocoResults.of(gt, List.of(CocoDetection.ofBox(4, 3, 0.9, 10, 10, 20,
        20)));
    assertEquals(PERFECT, new CocoEvaluator().evaluate(gt, results,
        CocoEvalParams.defaults(IouType.SEGM)).stats()[0], 0.0);
  }

  @Test
  void summaryLinesLookLikePycocotools() throws Exception {
    CocoGroundTruth gt = CocoGroundTruth.read(new TinyCoco().image(4)
        .box(1, 4, 3, 10, 10, 20, 20, false).write(dir));
    CocoEvalResult r = new CocoEvaluator().evaluate(gt,
        CocoResults.of(gt, List.of(CocoDetection.ofBox(4, 3, 0.9, 10, 10, 20, 20))), BBOX);
    assertEquals(" Average Precision  (AP) @[ IoU=0.50:0.95 | area=   all | maxDets=100 ] = 1.000",
        r.summaryLines().get(0));
    assertEquals(" Average Precision  (AP) @[ IoU=0.50:0.95 | area=medium | maxDets=100 ] = -1.000",
        r.summaryLines().get(4));
    assertEquals(" Average Recall     (AR) @[ IoU=0.50:0.95 | area=   all | maxDets=  1 ] = 1.000",
        r.summaryLines().get(6));
    assertEquals(12, r.summary().split("\n").length);
    assertArrayEquals(new int[] {10, 101, 2, 4, 3}, r.precisionShape());
  }

  @Test
  void threadCountDoesNotChangeAnyNumberOnAGeneratedCase() throws Exception {
    SyntheticCocoCase.CaseFiles f = SyntheticCocoCase.write(dir,
        new SyntheticCocoCase.Options(40, 7, 60, 6, 160, 120, 7));
    for (IouType type : IouType.values()) {
      CocoGroundTruth gt = CocoGroundTruth.read(
          type == IouType.KEYPOINTS ? f.keypointGroundTruth() : f.groundTruth());
      Path res = switch (type) {
        case BBOX -> f.boxResults();
        case SEGM -> f.maskResults();
        case KEYPOINTS -> f.keypointResults();
      };
      CocoResults results = CocoResultsReader.read(res, gt);
      CocoEvalParams p = CocoEvalParams.defaults(type);
      CocoEvalResult one = new CocoEvaluator(1).evaluate(gt, results, p);
      CocoEvalResult three = new CocoEvaluator(3).evaluate(gt, results, p);
      assertArrayEquals(one.stats(), three.stats(), type.toString());
      assertTrue(Arrays.deepEquals(one.precisionArray(), three.precisionArray()));
      assertTrue(one.stats()[0] > 0, type + " " + Arrays.toString(one.stats()));
    }
  }

  private static List<ImageEvaluation> all(CocoGroundTruth gt, CocoResults r, CocoEvalParams p)
      throws DatasetException {
    return new CocoEvaluator(2).evaluateImages(gt, r, p).stream()
        .filter(e -> e.areaRange().label().equals("all")).toList();
  }
}
