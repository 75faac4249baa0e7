package dev.pix2seq.eval.coco;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Hand-built cases, each aimed at one rule (crowd regions absorbing detections, score ties,
 * more than 100 detections per image, empty images and results, categories without ground
 * truth, area-range boundaries, keypoint ground truth without keypoints, image and category
 * subsets), against what pycocotools 2.0.11 computed for them ({@code coco-eval/make_cases.py}).
 */
class CocoEvalFocusedCasesTest {
  private static final String ROOT = "coco-eval";

  static Stream<Arguments> evaluations() throws Exception {
    return PycocotoolsCase.evaluations(ROOT, "crowd_absorb", "score_ties", "many_dets",
        "empty_and_missing", "area_ranges", "keypoints_zero", "subsets").stream();
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("evaluations")
  void statsArraysAndSummaryMatchPycocotools(String caseName, String evaluation)
      throws Exception {
    PycocotoolsCase.assertSameNumbers(PycocotoolsCase.run(ROOT, caseName, evaluation, 3));
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("evaluations")
  void perImageMatchesMatchEvalImgs(String caseName, String evaluation) throws Exception {
    PycocotoolsCase.assertSameImageEvaluations(
        PycocotoolsCase.run(ROOT, caseName, evaluation, 1), 3);
  }
}
