package dev.pix2seq.eval.coco;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pix2seq.api.DatasetException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Inputs pycocotools evaluates although they look odd, against the stats pycocotools 2.0.11
 * printed for them ({@code coco-oddities/expected.json}, written by
 * tools/coco-oddities/make_reference.py): results of categories the ground truth lacks, some
 * with integer scores, mixed into the small_basic case's boxes and keypoints. pycocotools keeps
 * them and never evaluates them, with or without useCats; so do we by default, and the strict
 * read refuses them.
 */
class CocoOdditiesReferenceTest {
  private static Path dir;
  private static Path cases;
  private static JsonNode expected;

  @BeforeAll
  static void load() throws Exception {
    dir = resource("/coco-oddities/expected.json").getParent();
    cases = resource("/reference/coco/small_basic/gt.json").getParent();
    expected = PycocotoolsCase.JSON.readTree(dir.resolve("expected.json").toFile());
  }

  @Test
  void unknownCategoriesAreKeptAndNeverEvaluatedAsPycocotoolsDoes() throws Exception {
    int checked = 0;
    for (Map.Entry<String, JsonNode> e : expected.properties()) {
      if (!e.getKey().startsWith("results_")) {
        continue;
      }
      String[] nameAndCats = e.getKey().split(" useCats=");
      JsonNode c = e.getValue();
      Path gtFile = cases.resolve(c.get("gt").asText());
      Path resultsFile = dir.resolve(nameAndCats[0]);
      IouType type = IouType.fromCocoName(c.get("iou_type").asText());
      CocoEvalParams params = CocoEvalParams.builder(type)
          .optUseCats(nameAndCats[1].equals("1")).build();

      CocoGroundTruth gt = CocoGroundTruth.read(gtFile);
      CocoResults results = CocoResultsReader.read(resultsFile, gt);
      CocoEvalResult result = new CocoEvaluator(2).evaluate(gt, results, params);

      assertArrayEquals(doubles(c.get("stats")), result.stats(), e.getKey());
      assertEquals(1, results.warnings().size(), e.getKey());
      assertTrue(results.warnings().get(0).contains("12 of ") && results.warnings().get(0)
          .contains("[77, 999]"), results.warnings().get(0));
      DatasetException strict = assertThrows(DatasetException.class,
          () -> CocoResultsReader.read(resultsFile, gt, true));
      assertTrue(strict.getMessage().contains("results[5].category_id: expected the id of a "
          + "category of the ground truth, found 77"), strict.getMessage());
      checked++;
    }
    assertEquals(4, checked);
  }

  /**
   * Ground truth with an annotation id 0 (a match to it counts as no match), an {@code ignore}
   * field (overwritten from {@code iscrowd}), a crowd region given as polygons, and {@code
   * num_keypoints} that disagree with the visibilities (0 makes the object ignored).
   */
  @Test
  void oddGroundTruthIsEvaluatedAsPycocotoolsDoes() throws Exception {
    int checked = 0;
    for (Map.Entry<String, JsonNode> e : expected.properties()) {
      if (!e.getKey().startsWith("gt_")) {
        continue;
      }
      JsonNode c = e.getValue();
      Path gtFile = dir.resolve(c.get("gt").asText());
      IouType type = IouType.fromCocoName(c.get("iou_type").asText());
      CocoEvalParams params = CocoEvalParams.builder(type)
          .optUseCats(e.getKey().endsWith("useCats=1")).build();
      CocoEvalResult result = new CocoEvaluator(2).evaluate(gtFile,
          cases.resolve(c.get("results").asText()), params);
      assertArrayEquals(doubles(c.get("stats")), result.stats(), e.getKey());
      checked++;
    }
    assertEquals(12, checked);

    Path numKeypoints = dir.resolve("gt_num_keypoints.json");
    CocoGroundTruth asGiven = CocoGroundTruth.read(numKeypoints);
    assertTrue(asGiven.warnings().get(0).contains("4 annotations have a num_keypoints"),
        asGiven.warnings().toString());
    DatasetException strict = assertThrows(DatasetException.class,
        () -> CocoGroundTruth.read(numKeypoints, true));
    assertTrue(strict.getMessage().contains(".num_keypoints"), strict.getMessage());
  }

  private static double[] doubles(JsonNode array) {
    double[] out = new double[array.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = array.get(i).asDouble();
    }
    return out;
  }

  private static Path resource(String name) throws URISyntaxException {
    return Path.of(CocoOdditiesReferenceTest.class.getResource(name).toURI());
  }
}
