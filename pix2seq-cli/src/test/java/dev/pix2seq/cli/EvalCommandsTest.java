package dev.pix2seq.cli;

import static dev.pix2seq.cli.CommandRuns.failure;
import static dev.pix2seq.cli.CommandRuns.output;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** coco-eval and caption-eval on the reference cases shipped with pix2seq-eval's tests. */
class EvalCommandsTest {
  private static final Path REFERENCE =
      Path.of("..", "pix2seq-eval", "src", "test", "resources", "reference");
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void cocoEvalWarnsAboutUnknownCategoriesAndStrictRefusesThem() throws Exception {
    Path dir = REFERENCE.resolve("coco/small_basic");
    Path odd = Path.of("..", "pix2seq-eval", "src", "test", "resources", "coco-oddities",
        "results_bbox_unknown_categories.json");
    JsonNode expected = JSON.readTree(odd.resolveSibling("expected.json").toFile())
        .get("results_bbox_unknown_categories.json useCats=1").get("stats");
    JsonNode out = JSON.readTree(output(0, "coco-eval", "--gt", dir.resolve("gt.json").toString(),
        "--results", odd.toString(), "--iou-type", "bbox", "--json"));
    assertEquals(expected.get(0).asDouble(), out.get("stats").get(0).asDouble(), 0.0);
    String error = failure(1, "coco-eval", "--gt", dir.resolve("gt.json")
        .toString(), "--results", odd.toString(), "--iou-type", "bbox", "--strict");
    assertTrue(error.contains("category_id: expected the id of a category of the ground truth"),
        error);
  }

  @Test
  void cocoEvalJsonReproducesPycocotoolsStats(@TempDir Path tmp) throws Exception {
    JsonNode expected = JSON.readTree(REFERENCE.resolve("coco/summary_stats.json").toFile());
    Path dir = REFERENCE.resolve("coco/small_basic");
    for (String type : new String[] {"bbox", "segm", "keypoints"}) {
      String gt = type.equals("keypoints") ? "gt_keypoints.json" : "gt.json";
      Path plot = tmp.resolve(type + ".png");
      JsonNode out = JSON.readTree(output(0, "coco-eval", "--gt", dir.resolve(gt).toString(),
          "--results", dir.resolve("results_" + type + ".json").toString(),
          "--iou-type", type, "--json", "--plot", plot.toString()));
      assertEquals(type, out.get("iouType").asText());
      JsonNode want = expected.get("small_basic").get(type);
      assertEquals(want.size(), out.get("stats").size());
      for (int i = 0; i < want.size(); i++) {
        assertEquals(want.get(i).asDouble(), out.get("stats").get(i).asDouble(), 1e-12,
            type + " stat " + i);
      }
      assertTrue(out.get("perCategory").size() > 0);
      assertEquals(640, ImageIO.read(plot.toFile()).getWidth());
    }
  }

  @Test
  void cocoEvalPrintsTheFamiliarTable() {
    Path dir = REFERENCE.resolve("coco/small_basic");
    String out = output(0, "coco-eval", "--gt", dir.resolve("gt.json").toString(),
        "--results", dir.resolve("results_bbox.json").toString(), "--iou-type", "bbox",
        "--use-cats", "false");
    assertTrue(out.contains(
        " Average Precision  (AP) @[ IoU=0.50:0.95 | area=   all | maxDets=100 ] = "), out);
    assertEquals(2, Pix2seqCommand.execute("coco-eval", "--gt", "x.json", "--results", "y.json",
        "--iou-type", "boxes"));
    assertEquals(1, Pix2seqCommand.execute("coco-eval", "--gt", "missing.json", "--results",
        "y.json", "--iou-type", "bbox"));
  }

  @Test
  void captionEvalJsonReproducesTheToolkit() throws Exception {
    Path dir = REFERENCE.resolve("captions/captions_small");
    JsonNode out = JSON.readTree(output(0, "caption-eval",
        "--gt", dir.resolve("captions_gt.json").toString(),
        "--results", dir.resolve("captions_results.json").toString(), "--json"));
    JsonNode expected = JSON.readTree(Files.readString(dir.resolve("expected.json")));
    JsonNode bleu = expected.get("coco_caption").get("bleu");
    for (int n = 1; n <= 4; n++) {
      assertEquals(bleu.get(n - 1).asDouble(), out.get("BLEU-" + n).asDouble(), 1e-9);
    }
    assertEquals(expected.get("coco_caption").get("cider").asDouble(),
        out.get("CIDEr-D").asDouble(), 1e-9);
  }
}
