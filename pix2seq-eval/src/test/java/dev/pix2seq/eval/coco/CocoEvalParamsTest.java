package dev.pix2seq.eval.coco;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.junit.jupiter.api.Test;

/** pycocotools' default parameters, and what the builder accepts and rejects. */
class CocoEvalParamsTest {

  @Test
  void defaultThresholdsAndSigmasAreBitForBitThoseInParamsDefaults() throws Exception {
    JsonNode d = PycocotoolsCase.JSON.readTree(
        PycocotoolsCase.dir("reference", "coco").resolve("params_defaults.json").toFile());
    for (IouType type : IouType.values()) {
      CocoEvalParams p = CocoEvalParams.defaults(type);
      JsonNode x = d.get(type == IouType.KEYPOINTS ? "keypoints" : "bbox_segm");
      assertArrayEquals(hex(x.get("iouThrs_hex")), p.iouThrs(), 0.0, type + " iouThrs");
      assertArrayEquals(hex(x.get("recThrs_hex")), p.recThrs(), 0.0, type + " recThrs");
      int[] maxDets = new int[x.get("maxDets").size()];
      for (int i = 0; i < maxDets.length; i++) {
        maxDets[i] = x.get("maxDets").get(i).asInt();
      }
      assertArrayEquals(maxDets, p.maxDets(), type + " maxDets");
      assertEquals(x.get("areaRng").size(), p.areaRanges().size());
      for (int a = 0; a < p.areaRanges().size(); a++) {
        AreaRange r = p.areaRanges().get(a);
        assertEquals(x.get("areaRngLbl").get(a).asText(), r.label());
        assertEquals(x.get("areaRng").get(a).get(0).asDouble(), r.min(), 0.0);
        assertEquals(x.get("areaRng").get(a).get(1).asDouble(), r.max(), 0.0);
      }
      assertTrue(p.useCats());
      assertTrue(p.imgIds().isEmpty());
      assertTrue(p.catIds().isEmpty());
    }
    JsonNode sigmas = d.get("keypoints").get("kpt_oks_sigmas");
    double[] s = CocoEvalParams.cocoPersonSigmas();
    assertEquals(sigmas.size(), s.length);
    for (int i = 0; i < s.length; i++) {
      assertEquals(sigmas.get(i).asDouble(), s[i], 0.0, "sigma " + i);
    }
  }

  @Test
  void idsAreSortedAndMadeUniqueAsEvaluateDoes() {
    CocoEvalParams p = CocoEvalParams.builder(IouType.BBOX)
        .optImgIds(List.of(9L, 3L, 9L, 1L))
        .optCatIds(List.of(5, 2, 5))
        .optMaxDets(100, 1, 10)
        .build();
    assertArrayEquals(new long[] {1, 3, 9}, p.imgIds().orElseThrow());
    assertArrayEquals(new int[] {2, 5}, p.catIds().orElseThrow());
    assertArrayEquals(new int[] {1, 10, 100}, p.maxDets());
  }

  @Test
  void pooledCategoriesKeepTheirOrderButMustBeDistinct() {
    CocoEvalParams p = CocoEvalParams.builder(IouType.SEGM).optUseCats(false)
        .optCatIds(List.of(5, 2)).build();
    assertFalse(p.useCats());
    assertArrayEquals(new int[] {5, 2}, p.catIds().orElseThrow());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> CocoEvalParams.builder(IouType.SEGM).optUseCats(false)
            .optCatIds(List.of(5, 2, 5)).build());
    assertTrue(e.getMessage().contains("5 twice"), e.getMessage());
  }

  @Test
  void badValuesAreRejectedWithTheValue() {
    assertMessage("maxDets for bbox needs 3 values",
        () -> CocoEvalParams.builder(IouType.BBOX).optMaxDets(1, 100).build());
    assertMessage("maxDets must be >= 1, found 0",
        () -> CocoEvalParams.builder(IouType.KEYPOINTS).optMaxDets(0).build());
    assertMessage("iouThrs must lie in [0, 1], found 1.5",
        () -> CocoEvalParams.builder(IouType.BBOX).optIouThrs(0.5, 1.5).build());
    assertMessage("recThrs must not be empty",
        () -> CocoEvalParams.builder(IouType.BBOX).optRecThrs().build());
    assertMessage("area range labels must be unique",
        () -> CocoEvalParams.builder(IouType.BBOX)
            .optAreaRanges(List.of(AreaRange.ALL, new AreaRange("all", 0, 5))).build());
    assertMessage("must be positive and finite, found -0.1",
        () -> CocoEvalParams.builder(IouType.KEYPOINTS).optKptOksSigmas(0.1, -0.1).build());
    assertMessage("iouType must be bbox, segm or keypoints, found 'box'",
        () -> IouType.fromCocoName("box"));
  }

  @Test
  void sigmasComeFromTheCategoryThenAllCategoriesThenThePersonDefaults() {
    CocoEvalParams p = CocoEvalParams.builder(IouType.KEYPOINTS)
        .optCategoryKptOksSigmas(3, 0.1, 0.2)
        .build();
    assertArrayEquals(new double[] {0.1, 0.2}, p.sigmasFor(3, 2), 0.0);
    assertArrayEquals(CocoEvalParams.cocoPersonSigmas(), p.sigmasFor(1, 17), 0.0);
    assertMessage("category 4 has 5 keypoints: give its OKS sigmas", () -> p.sigmasFor(4, 5));
    assertMessage("category 3 has 3 keypoints but the sigmas given for category 3 number 2",
        () -> p.sigmasFor(3, 3));
    CocoEvalParams all = p.toBuilder().optKptOksSigmas(0.5, 0.5, 0.5, 0.5, 0.5).build();
    assertArrayEquals(new double[] {0.5, 0.5, 0.5, 0.5, 0.5}, all.sigmasFor(4, 5), 0.0);
  }

  @Test
  void summaryNumbersRoundLikePythonFormat() {
    assertEquals("0.062", CocoEvalResult.fixed(0.0625, 3));
    assertEquals("0.123", CocoEvalResult.fixed(0.1235, 3));
    assertEquals("0.001", CocoEvalResult.fixed(0.0005, 3));
    assertEquals("1.000", CocoEvalResult.fixed(0.9995, 3));
    assertEquals("-1.000", CocoEvalResult.fixed(-1, 3));
    assertEquals("2.67", CocoEvalResult.fixed(2.675, 2));
    assertEquals("0.95", CocoEvalResult.fixed(0.95, 2));
  }

  private static double[] hex(JsonNode values) {
    double[] out = new double[values.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = Double.parseDouble(values.get(i).asText());
    }
    return out;
  }

  private static void assertMessage(String part, org.junit.jupiter.api.function.Executable e) {
    IllegalArgumentException x = assertThrows(IllegalArgumentException.class, e);
    assertTrue(x.getMessage().contains(part), x.getMessage());
  }
}
