package dev.pix2seq.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pix2seq.api.ConfigException;
import dev.pix2seq.api.model.Backend;
import dev.pix2seq.runtime.backend.Backends;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole demo on a tiny recipe (6 + 4 scenes of 64 px, a one-layer model, 4 steps) with the
 * DJL backend and the single-task comparison on: every file of the report is there and every
 * metric is a number in its range.
 */
class DemoRunSmokeTest {
  private static final List<String> AP_AND_BLEU = List.of("bbox_AP", "segm_AP", "keypoints_AP",
      "BLEU-4");

  @TempDir static Path out;
  private static Backend backend;
  private static DemoResult result;
  private static JsonNode report;

  @BeforeAll
  static void runTheDemo() throws Exception {
    Backends backends = Backends.discover();
    assumeTrue(backends.contains("djl"), "no djl backend on the class path");
    backend = backends.select("djl");
    List<String> lines = new ArrayList<>();
    result = DemoRun.builder()
        .setOutput(out)
        .setBackend(backend)
        .optRecipe(DemoFixtures.tinyRecipe())
        .optCompareSingleTask(true)
        .optProgress(null)
        .optStatus(lines::add)
        .build()
        .run();
    assertFalse(lines.isEmpty(), "status lines");
    report = new ObjectMapper().readTree(out.resolve(DemoReport.JSON_FILE).toFile());
  }

  @Test
  void theReportHoldsEveryMetricInItsRange() {
    JsonNode metrics = report.get("metrics");
    assertEquals(List.of("bbox_AP", "segm_AP", "keypoints_AP", "BLEU-4", "CIDEr-D"),
        fieldNames(metrics));
    for (String k : AP_AND_BLEU) {
      double v = number(metrics, k);
      assertTrue(v >= 0 && v <= 1, k + " = " + v);
    }
    assertTrue(number(metrics, "CIDEr-D") >= 0);
    JsonNode extra = report.get("extraMetrics");
    assertEquals(List.of("segm_AP_detected", "keypoints_AP_detected", "BLEU-1", "BLEU-2",
        "BLEU-3"), fieldNames(extra));
    for (String k : fieldNames(extra)) {
      double v = number(extra, k);
      assertTrue(v >= 0 && v <= 1, k + " = " + v);
    }
  }

  @Test
  void theReportRecordsConfigTrainingAndProvenance() {
    assertEquals(4, report.get("training").get("stepsPlanned").asInt());
    assertEquals("COMPLETED", report.get("training").get("stopReason").asText());
    assertEquals(64, report.get("config").get("model").get("imageSize").asInt());
    assertEquals(List.of("detect", "segment", "keypoint", "describe"),
        fieldNames(report.get("config").get("taskOptions")));
    assertEquals(3, report.get("config").get("taskOptions").get("detect").get("maxObjects")
        .asInt());
    assertEquals(6, report.get("config").get("recipe").get("trainImages").asInt());
    JsonNode p = report.get("provenance");
    for (String k : List.of("library", "backend", "java", "cores", "seed", "startedAt")) {
      assertTrue(p.hasNonNull(k), k);
    }
    assertEquals("djl", p.get("backend").asText());
    assertTrue(p.get("durationsSeconds").get("total").asDouble() > 0);
    assertEquals(4, report.get("evaluation").get("images").asInt());
  }

  @Test
  void singleTaskModelsAreReportedBesideTheMultiTaskOne() {
    JsonNode c = report.get("comparison");
    assertNotNull(c, "comparison");
    assertEquals(List.of("detect", "segment", "keypoint", "describe"), fieldNames(c.get("runs")));
    assertEquals(1, c.get("runs").get("detect").get("stepsPlanned").asInt(), "4 steps / 4 tasks");
    List<String> metrics = new ArrayList<>();
    c.get("rows").forEach(r -> metrics.add(r.get("task").asText() + ":" + r.get("metric")
        .asText()));
    assertTrue(metrics.containsAll(List.of("detect:bbox_AP", "segment:segm_AP",
        "keypoint:keypoints_AP", "describe:BLEU-4", "describe:CIDEr-D")), metrics.toString());
    assertTrue(Files.isRegularFile(out.resolve("single-task/segment/checkpoint/model.json")));
  }

  @Test
  void theMarkdownReportPlotsAndPicturesExistAndDecode() throws Exception {
    String md = Files.readString(out.resolve(DemoReport.MARKDOWN_FILE));
    for (String part : List.of("# pix2seq-java demo", "bbox_AP", "CIDEr-D",
        "Multi-task vs single-task", "plots/loss.png", "plots/pr-bbox.png", "pictures/image-",
        "- steps 1 to 1: detect only")) {
      assertTrue(md.contains(part), part);
    }
    List<String> pngs = new ArrayList<>();
    report.get("files").get("plots").forEach(f -> pngs.add(f.asText()));
    report.get("files").get("pictures").forEach(set ->
        set.get("files").forEach(f -> pngs.add(f.asText())));
    assertTrue(pngs.containsAll(List.of("plots/loss.png", "plots/loss-single-task.png",
        "plots/pr-bbox.png", "plots/pr-segm-gt-boxes.png", "plots/pr-segm-detected.png",
        "plots/pr-keypoints-gt-boxes.png", "plots/pr-keypoints-detected.png")), pngs.toString());
    assertEquals(7 + DemoPictures.KINDS.size(), pngs.size(), pngs.toString());
    for (String png : pngs) {
      BufferedImage image = ImageIO.read(out.resolve(png).toFile());
      assertNotNull(image, png);
      assertTrue(image.getWidth() > 100 && image.getHeight() > 100, png);
    }
    try (Stream<Path> files = Files.list(out.resolve(DemoRun.EVAL_DIR))) {
      assertEquals(7, files.count(), "six results files and metrics.json");
    }
    assertTrue(Files.isRegularFile(out.resolve("run/metrics.jsonl")));
  }

  @Test
  void theResultSummarisesTheReport() {
    assertEquals(out.resolve(DemoReport.MARKDOWN_FILE), result.reportMarkdown());
    assertEquals(DemoReport.HEADLINE_METRICS, List.copyOf(result.metrics().keySet()));
    assertTrue(result.summary().contains("report: "), result.summary());
  }

  @Test
  void aSecondDemoRefusesTheSameFolder() {
    ConfigException e = assertThrows(ConfigException.class, () -> DemoRun.builder()
        .setOutput(out).setBackend(backend).optRecipe(DemoFixtures.tinyRecipe())
        .optProgress(null).build().run());
    assertTrue(e.getMessage().contains("already holds a training run"), e.getMessage());
  }

  private static List<String> fieldNames(JsonNode node) {
    List<String> names = new ArrayList<>();
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      names.add(it.next());
    }
    return names;
  }

  private static double number(JsonNode node, String key) {
    JsonNode v = node.get(key);
    assertTrue(v != null && v.isNumber(), key + " is " + v);
    return v.asDouble();
  }
}
