package dev.pix2seq.eval.coco;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every evaluation listed in the shared reference cases' manifests (useCats=0 ones included)
 * reproduces what pycocotools 2.0.11 computed: stats bit for bit, the precision and recall
 * arrays, the summary lines, the per-image matches, the IoU/OKS matrices and the detection
 * areas; and the numbers do not depend on the number of threads.
 */
class CocoEvalReferenceTest {
  private static final String ROOT = "reference/coco";

  static Stream<Arguments> evaluations() throws Exception {
    return PycocotoolsCase.evaluations(ROOT, "small_basic", "small_crowd", "small_maxdets")
        .stream();
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("evaluations")
  void statsArraysAndSummaryMatchPycocotools(String caseName, String evaluation)
      throws Exception {
    PycocotoolsCase.assertSameNumbers(PycocotoolsCase.run(ROOT, caseName, evaluation, 2));
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("evaluations")
  void perImageMatchesMatchEvalImgs(String caseName, String evaluation) throws Exception {
    PycocotoolsCase.assertSameImageEvaluations(
        PycocotoolsCase.run(ROOT, caseName, evaluation, 1), 2);
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("evaluations")
  void detectionAreasMatchLoadRes(String caseName, String evaluation) throws Exception {
    PycocotoolsCase.Run run = PycocotoolsCase.run(ROOT, caseName, evaluation, 1);
    JsonNode areas = run.expected().get("dt_area");
    assertEquals(areas.size(), run.results().size());
    for (int i = 0; i < areas.size(); i++) {
      assertEquals(areas.get(i).asDouble(), run.results().area(i), 0.0, "area of result " + i);
    }
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("evaluations")
  void overlapMatricesMatchComputeIou(String caseName, String evaluation) throws Exception {
    PycocotoolsCase.Run run = PycocotoolsCase.run(ROOT, caseName, evaluation, 1);
    JsonNode ious = run.expected().get("ious");
    if (ious == null) {
      return;
    }
    try (ParallelRunner runner = new ParallelRunner(1)) {
      PreparedEvaluation p =
          PreparedEvaluation.prepare(run.gt(), run.results(), run.params(), runner);
      Map<String, Integer> unitByKey = new HashMap<>();
      for (int k = 0; k < p.unitCategories; k++) {
        for (int i = 0; i < p.imageCount(); i++) {
          unitByKey.put(p.imgIds[i] + "," + p.catIds[k], k * p.imageCount() + i);
        }
      }
      int[] maxDets = run.params().maxDets();
      Iterator<Map.Entry<String, JsonNode>> it = ious.fields();
      while (it.hasNext()) {
        Map.Entry<String, JsonNode> entry = it.next();
        Integer unit = unitByKey.get(entry.getKey());
        assertNotNull(unit, "unit " + entry.getKey());
        int[] gt = p.unitGt[unit];
        int[] dt = ScoreOrder.descending(p.unitDt[unit], p.dtScore);
        dt = Arrays.copyOf(dt, Math.min(dt.length, maxDets[maxDets.length - 1]));
        long[] dtIds = Arrays.stream(dt).mapToLong(d -> p.dtId[d]).toArray();
        long[] gtIds = Arrays.stream(gt).mapToLong(g -> p.gtId[g]).toArray();
        JsonNode x = entry.getValue();
        assertArrayEquals(PycocotoolsCase.longs(x.get("dt_ids")), dtIds, entry.getKey());
        assertArrayEquals(PycocotoolsCase.longs(x.get("gt_ids")), gtIds, entry.getKey());
        double[][] got = ImageMatcher.overlaps(p, unit, gt, dt);
        for (int d = 0; d < dt.length; d++) {
          for (int g = 0; g < gt.length; g++) {
            double want = x.get("iou").get(d).get(g).asDouble();
            // OKS goes through exp(), where numpy's and Java's may differ in the last bit.
            assertEquals(want, got[d][g], Math.abs(want) * 1e-15,
                entry.getKey() + " iou[" + d + "][" + g + "]");
          }
        }
      }
    }
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("evaluations")
  void threadCountDoesNotChangeAnyNumber(String caseName, String evaluation) throws Exception {
    CocoEvalResult one = PycocotoolsCase.run(ROOT, caseName, evaluation, 1).result();
    CocoEvalResult four = PycocotoolsCase.run(ROOT, caseName, evaluation, 4).result();
    assertArrayEquals(one.stats(), four.stats());
    assertTrue(Arrays.deepEquals(one.precisionArray(), four.precisionArray()));
    assertTrue(Arrays.deepEquals(one.recallArray(), four.recallArray()));
    assertEquals(one.perCategoryAp(), four.perCategoryAp());
  }
}
