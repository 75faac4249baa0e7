package dev.pix2seq.eval.coco;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.provider.Arguments;

/**
 * A folder of COCO evaluations (manifest.json, ground truth, results) with what pycocotools
 * computed for them (expected.json.gz), and the checks that compare an evaluation with it.
 */
final class PycocotoolsCase {
  static final ObjectMapper JSON = new ObjectMapper();
  private static final Map<Path, JsonNode> EXPECTED = new HashMap<>();

  private PycocotoolsCase() {}

  /** One evaluation run and what pycocotools computed for it. */
  record Run(CocoGroundTruth gt, CocoResults results, CocoEvalParams params,
      CocoEvalResult result, JsonNode expected) {}

  /** (case, evaluation name) for every evaluation in the manifests of the cases. */
  static List<Arguments> evaluations(String root, String... cases) throws IOException {
    List<Arguments> out = new ArrayList<>();
    for (String c : cases) {
      JsonNode manifest = JSON.readTree(dir(root, c).resolve("manifest.json").toFile());
      for (JsonNode e : manifest.get("evaluations")) {
        out.add(Arguments.of(c, e.get("name").asText()));
      }
    }
    return out;
  }

  static Path dir(String root, String name) {
    try {
      return Path.of(PycocotoolsCase.class.getResource("/" + root + "/" + name).toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Runs the named evaluation of a case folder as its manifest describes. */
  static Run run(String root, String caseName, String evaluation, int parallelism)
      throws Exception {
    Path dir = dir(root, caseName);
    JsonNode manifestEntry = null;
    for (JsonNode e : JSON.readTree(dir.resolve("manifest.json").toFile()).get("evaluations")) {
      if (e.get("name").asText().equals(evaluation)) {
        manifestEntry = e;
      }
    }
    JsonNode exp = expected(dir).get("evaluations").get(evaluation);
    CocoGroundTruth gt = CocoGroundTruth.read(dir.resolve(manifestEntry.get("gt").asText()));
    String resultsName = manifestEntry.get("results").asText();
    Path resultsFile = dir.resolve(resultsName.endsWith(".json") ? resultsName
        : "results_" + resultsName + ".json");
    CocoResults results = CocoResultsReader.read(resultsFile, gt);
    CocoEvalParams.Builder b =
        CocoEvalParams.builder(IouType.fromCocoName(manifestEntry.get("iouType").asText()));
    JsonNode params = manifestEntry.get("params");
    if (params != null) {
      if (params.has("useCats")) {
        b.optUseCats(params.get("useCats").asInt() != 0);
      }
      if (params.has("imgIds")) {
        List<Long> ids = new ArrayList<>();
        params.get("imgIds").forEach(n -> ids.add(n.asLong()));
        b.optImgIds(ids);
      }
      if (params.has("catIds")) {
        List<Integer> ids = new ArrayList<>();
        params.get("catIds").forEach(n -> ids.add(n.asInt()));
        b.optCatIds(ids);
      }
      if (params.has("maxDets")) {
        int[] m = new int[params.get("maxDets").size()];
        for (int i = 0; i < m.length; i++) {
          m[i] = params.get("maxDets").get(i).asInt();
        }
        b.optMaxDets(m);
      }
    }
    CocoEvalParams p = b.build();
    CocoEvalResult result = new CocoEvaluator(parallelism).evaluate(gt, results, p);
    return new Run(gt, results, p, result, exp);
  }

  /** Stats bit for bit, the summary lines, and the precision and recall arrays. */
  static void assertSameNumbers(Run run) {
    JsonNode exp = run.expected();
    double[] stats = run.result().stats();
    JsonNode expStats = exp.get("stats");
    assertEquals(expStats.size(), stats.length, "number of stats");
    for (int i = 0; i < stats.length; i++) {
      assertEquals(expStats.get(i).asDouble(), stats[i], 1e-12, "stats[" + i + "]");
      assertEquals(expStats.get(i).asDouble(), stats[i], 0.0, "stats[" + i + "] bit for bit");
    }
    List<String> lines = new ArrayList<>();
    exp.get("summary_text").forEach(n -> lines.add(n.asText()));
    assertEquals(lines, run.result().summaryLines());
    int[] shape = run.result().precisionShape();
    double[][][][][] precision = run.result().precisionArray();
    double[][][][] recall = run.result().recallArray();
    JsonNode p = exp.get("precision");
    JsonNode r = exp.get("recall");
    assertEquals(p.size(), shape[0], "T");
    assertEquals(p.get(0).size(), shape[1], "R");
    assertEquals(p.get(0).get(0).size(), shape[2], "K");
    assertEquals(p.get(0).get(0).get(0).size(), shape[3], "A");
    assertEquals(p.get(0).get(0).get(0).get(0).size(), shape[4], "M");
    for (int t = 0; t < shape[0]; t++) {
      for (int k = 0; k < shape[2]; k++) {
        for (int a = 0; a < shape[3]; a++) {
          for (int m = 0; m < shape[4]; m++) {
            assertEquals(r.get(t).get(k).get(a).get(m).asDouble(), recall[t][k][a][m], 0.0,
                "recall[" + t + "][" + k + "][" + a + "][" + m + "]");
            for (int q = 0; q < shape[1]; q++) {
              assertEquals(p.get(t).get(q).get(k).get(a).get(m).asDouble(),
                  precision[t][q][k][a][m], 0.0,
                  "precision[" + t + "][" + q + "][" + k + "][" + a + "][" + m + "]");
            }
          }
        }
      }
    }
  }

  /** The non-empty evalImgs entries of area "all", in order, field by field. */
  static void assertSameImageEvaluations(Run run, int parallelism) throws Exception {
    JsonNode expected = run.expected().get("eval_imgs_area_all");
    if (expected == null) {
      return;
    }
    List<ImageEvaluation> all = new CocoEvaluator(parallelism)
        .evaluateImages(run.gt(), run.results(), run.params()).stream()
        .filter(e -> e.areaRange().equals(run.params().areaRanges().get(0))).toList();
    assertEquals(expected.size(), all.size(), "non-empty evalImgs of the first area range");
    for (int i = 0; i < all.size(); i++) {
      ImageEvaluation e = all.get(i);
      JsonNode x = expected.get(i);
      String where = "image " + e.imageId() + " category " + e.categoryId();
      assertEquals(x.get("image_id").asLong(), e.imageId(), where);
      assertEquals(x.get("category_id").asInt(), e.categoryId(), where);
      assertArrayEquals(longs(x.get("dtIds")), e.dtIds(), where + " dtIds");
      assertArrayEquals(longs(x.get("gtIds")), e.gtIds(), where + " gtIds");
      boolean[] gtIgnore = new boolean[x.get("gtIgnore").size()];
      for (int g = 0; g < gtIgnore.length; g++) {
        gtIgnore[g] = x.get("gtIgnore").get(g).asInt() != 0;
      }
      assertArrayEquals(gtIgnore, e.gtIgnore(), where + " gtIgnore");
      for (int t = 0; t < e.dtMatches().length; t++) {
        assertArrayEquals(longs(x.get("dtMatches").get(t)), e.dtMatches()[t],
            where + " dtMatches t=" + t);
        JsonNode ig = x.get("dtIgnore").get(t);
        for (int d = 0; d < ig.size(); d++) {
          assertEquals(ig.get(d).asInt() != 0, e.dtIgnore()[t][d],
              where + " dtIgnore t=" + t + " d=" + d);
        }
      }
    }
  }

  static synchronized JsonNode expected(Path dir) {
    return EXPECTED.computeIfAbsent(dir, d -> {
      try (InputStream in = new java.util.zip.GZIPInputStream(
          Files.newInputStream(d.resolve("expected.json.gz")))) {
        return JSON.readTree(in);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    });
  }

  static long[] longs(JsonNode array) {
    long[] out = new long[array.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = array.get(i).asLong();
    }
    return out;
  }
}
