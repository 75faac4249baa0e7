package dev.pix2seq.eval.mask;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pix2seq.api.mask.RleMasks;
import dev.pix2seq.api.value.RleMask;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Checks the mask operations against what pycocotools 2.0.11 printed for the reference cases:
 * ground-truth rasterisation pixel for pixel, and the per-image mask and box IoU matrices bit for
 * bit.
 */
class RleMasksReferenceTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** One reference case: its ground truth, results and expected output. */
  private record Case(
      String name,
      Map<Long, JsonNode> images,
      Map<Long, JsonNode> gtAnnotations,
      List<JsonNode> segmResults,
      List<JsonNode> bboxResults,
      JsonNode evaluations) {

    static Case load(String name) throws IOException {
      JsonNode gt = read(name + "/gt.json");
      Map<Long, JsonNode> images = byId(gt.get("images"));
      Map<Long, JsonNode> anns = byId(gt.get("annotations"));
      List<JsonNode> segm = list(read(name + "/results_segm.json"));
      List<JsonNode> bbox = list(read(name + "/results_bbox.json"));
      JsonNode expected;
      try (InputStream in = new GZIPInputStream(open(name + "/expected.json.gz"))) {
        expected = JSON.readTree(in);
      }
      return new Case(name, images, anns, segm, bbox, expected.get("evaluations"));
    }

    /** The ground truth's mask as pycocotools' COCO.annToRLE builds it. */
    RleMask gtMask(JsonNode ann) {
      JsonNode image = images.get(ann.get("image_id").asLong());
      int h = image.get("height").asInt();
      int w = image.get("width").asInt();
      JsonNode seg = ann.get("segmentation");
      if (seg.isArray()) {
        List<double[]> parts = new ArrayList<>();
        for (JsonNode poly : seg) {
          parts.add(doubles(poly));
        }
        return RleMasks.fromPolygons(parts, h, w);
      }
      return rle(seg);
    }

    /** Results get ids 1, 2, ... in file order, as pycocotools' loadRes assigns them. */
    JsonNode result(List<JsonNode> results, long id) {
      return results.get((int) id - 1);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"small_basic", "small_crowd", "small_maxdets"})
  void groundTruthMasksMatchPycocotoolsPixelForPixel(String caseName) throws IOException {
    Case c = Case.load(caseName);
    JsonNode expected = c.evaluations().get("segm").get("gt_rle_pycocotools");
    assertEquals(c.gtAnnotations().size(), expected.size(), "annotations with an expected mask");
    List<String> mismatches = new ArrayList<>();
    int polygons = 0;
    int uncompressed = 0;
    for (Iterator<Map.Entry<String, JsonNode>> it = expected.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      JsonNode ann = c.gtAnnotations().get(Long.parseLong(e.getKey()));
      JsonNode seg = ann.get("segmentation");
      if (seg.isArray()) {
        polygons++;
      } else if (seg.get("counts").isArray()) {
        uncompressed++;
      }
      RleMask actual = c.gtMask(ann);
      RleMask want = rle(e.getValue());
      if (!actual.equals(want)) {
        mismatches.add("annotation " + e.getKey() + ": area " + actual.area() + " vs " + want.area());
      }
      assertEquals(e.getValue().get("mask_area").asLong(), RleMasks.area(want));
    }
    assertTrue(polygons > 0, "case has polygon ground truth");
    assertTrue(mismatches.isEmpty(), caseName + ": " + mismatches);
    if (caseName.equals("small_crowd")) {
      assertTrue(uncompressed > 0, "case has uncompressed RLE ground truth");
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"small_basic", "small_crowd", "small_maxdets"})
  void segmIouMatricesMatchPycocotools(String caseName) throws IOException {
    Case c = Case.load(caseName);
    int checked = checkIous(c, "segm", (dtIds, gtIds) -> {
      List<RleMask> dt = new ArrayList<>();
      for (long id : dtIds) {
        dt.add(rle(c.result(c.segmResults(), id).get("segmentation")));
      }
      List<RleMask> gt = new ArrayList<>();
      for (long id : gtIds) {
        gt.add(c.gtMask(c.gtAnnotations().get(id)));
      }
      return RleMasks.iou(dt, gt, crowdFlags(c, gtIds));
    });
    assertTrue(checked > 0);
  }

  @ParameterizedTest
  @ValueSource(strings = {"small_basic", "small_crowd", "small_maxdets"})
  void bboxIouMatricesMatchPycocotools(String caseName) throws IOException {
    Case c = Case.load(caseName);
    int checked = checkIous(c, "bbox", (dtIds, gtIds) -> {
      List<double[]> dt = new ArrayList<>();
      for (long id : dtIds) {
        dt.add(doubles(c.result(c.bboxResults(), id).get("bbox")));
      }
      List<double[]> gt = new ArrayList<>();
      for (long id : gtIds) {
        gt.add(doubles(c.gtAnnotations().get(id).get("bbox")));
      }
      return RleMasks.boxIou(dt, gt, crowdFlags(c, gtIds));
    });
    assertTrue(checked > 0);
  }

  private interface IouFunction {
    double[][] apply(long[] dtIds, long[] gtIds);
  }

  /** Compares every per-image matrix of one evaluation; returns how many values were checked. */
  private static int checkIous(Case c, String evaluation, IouFunction f) {
    JsonNode ious = c.evaluations().get(evaluation).get("ious");
    int checked = 0;
    for (Iterator<Map.Entry<String, JsonNode>> it = ious.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      long[] dtIds = longs(e.getValue().get("dt_ids"));
      long[] gtIds = longs(e.getValue().get("gt_ids"));
      JsonNode want = e.getValue().get("iou");
      double[][] got = f.apply(dtIds, gtIds);
      String where = c.name() + " " + evaluation + " image,category " + e.getKey();
      assertEquals(dtIds.length, got.length, where + ": rows");
      assertEquals(dtIds.length, want.size(), where + ": expected rows");
      for (int d = 0; d < dtIds.length; d++) {
        assertEquals(gtIds.length, got[d].length, where + ": columns");
        for (int g = 0; g < gtIds.length; g++) {
          assertEquals(want.get(d).get(g).asDouble(), got[d][g],
              where + ": dt " + dtIds[d] + " gt " + gtIds[g]);
          checked++;
        }
      }
    }
    return checked;
  }

  private static boolean[] crowdFlags(Case c, long[] gtIds) {
    boolean[] crowd = new boolean[gtIds.length];
    for (int i = 0; i < gtIds.length; i++) {
      JsonNode flag = c.gtAnnotations().get(gtIds[i]).get("iscrowd");
      crowd[i] = flag != null && flag.asInt() != 0;
    }
    return crowd;
  }

  /** An RLE object, compressed or not, as pycocotools reads it ({@code size} is [h, w]). */
  private static RleMask rle(JsonNode seg) {
    int h = seg.get("size").get(0).asInt();
    int w = seg.get("size").get(1).asInt();
    JsonNode counts = seg.get("counts");
    if (counts.isTextual()) {
      return RleMask.fromCompressed(counts.asText(), h, w);
    }
    int[] runs = new int[counts.size()];
    for (int i = 0; i < runs.length; i++) {
      runs[i] = counts.get(i).asInt();
    }
    return new RleMask(h, w, runs);
  }

  private static double[] doubles(JsonNode array) {
    double[] out = new double[array.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = array.get(i).asDouble();
    }
    return out;
  }

  private static long[] longs(JsonNode array) {
    long[] out = new long[array.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = array.get(i).asLong();
    }
    return out;
  }

  private static List<JsonNode> list(JsonNode array) {
    List<JsonNode> out = new ArrayList<>();
    array.forEach(out::add);
    return out;
  }

  private static Map<Long, JsonNode> byId(JsonNode array) {
    Map<Long, JsonNode> out = new HashMap<>();
    for (JsonNode n : array) {
      out.put(n.get("id").asLong(), n);
    }
    return out;
  }

  private static JsonNode read(String path) throws IOException {
    try (InputStream in = open(path)) {
      return JSON.readTree(in);
    }
  }

  private static InputStream open(String path) throws IOException {
    InputStream in = RleMasksReferenceTest.class.getResourceAsStream("/reference/coco/" + path);
    if (in == null) {
      throw new IOException("missing test resource /reference/coco/" + path);
    }
    return in;
  }
}
