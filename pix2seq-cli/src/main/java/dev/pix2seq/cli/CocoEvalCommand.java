package dev.pix2seq.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pix2seq.api.value.Category;
import dev.pix2seq.eval.coco.CocoEvalParams;
import dev.pix2seq.eval.coco.CocoEvalResult;
import dev.pix2seq.eval.coco.CocoEvaluator;
import dev.pix2seq.eval.coco.CocoGroundTruth;
import dev.pix2seq.eval.coco.CocoResults;
import dev.pix2seq.eval.coco.CocoResultsReader;
import dev.pix2seq.eval.coco.IouType;
import dev.pix2seq.eval.report.PrecisionRecallPlot;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code pix2seq coco-eval}: COCO metrics of a results file, as pycocotools computes them. */
@Command(
    name = "coco-eval",
    mixinStandardHelpOptions = true,
    description = {
      "Evaluate COCO-format results against ground truth exactly as pycocotools' COCOeval",
      "does (bbox, segm or keypoints) and print the summary and per-category AP."
    })
final class CocoEvalCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(names = "--gt", required = true, paramLabel = "GT.json",
      description = "Ground truth: COCO instances or person_keypoints JSON.")
  Path gt;

  @Option(names = "--results", required = true, paramLabel = "RES.json",
      description = "Results: a JSON list of detections (bbox, segmentation or keypoints).")
  Path results;

  @Option(names = "--iou-type", required = true, paramLabel = "TYPE",
      description = "bbox, segm or keypoints.")
  String iouType;

  @Option(names = "--use-cats", paramLabel = "BOOL", defaultValue = "true", arity = "1",
      description = "Match only within a category, pycocotools' params.useCats "
          + "(default: ${DEFAULT-VALUE}).")
  boolean useCats;

  @Option(names = "--img-ids", paramLabel = "ID", split = ",",
      description = "Evaluate only these image ids, pycocotools' params.imgIds.")
  List<Long> imgIds;

  @Option(names = "--threads", paramLabel = "N",
      description = "Worker threads (default: all cores).")
  Integer threads;

  @Option(names = "--strict", description = "Refuse inputs pycocotools accepts silently "
      + "(results of categories the ground truth lacks, ground-truth num_keypoints other than "
      + "the visible keypoints) instead of warning about them.")
  boolean strict;

  @Option(names = "--json", description = "Print one JSON object instead of the table.")
  boolean json;

  @Option(names = "--plot", paramLabel = "FILE.png",
      description = "Also draw the precision/recall curves into this PNG.")
  Path plot;

  @Override
  public Integer call() throws Exception {
    IouType type;
    try {
      type = IouType.fromCocoName(iouType);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(),
          "--iou-type must be bbox, segm or keypoints, found '" + iouType + "'");
    }
    if (threads != null && threads < 1) {
      throw new ParameterException(spec.commandLine(), "--threads must be >= 1, found " + threads);
    }
    CocoEvalParams.Builder params = CocoEvalParams.builder(type).optUseCats(useCats);
    if (imgIds != null) {
      params.optImgIds(imgIds);
    }
    long start = System.nanoTime();
    CocoGroundTruth truth = CocoGroundTruth.read(gt, strict);
    for (String warning : truth.warnings()) {
      spec.commandLine().getErr().println("warning: " + warning);
    }
    CocoResults detections = CocoResultsReader.read(results, truth, strict);
    for (String warning : detections.warnings()) {
      spec.commandLine().getErr().println("warning: " + warning);
    }
    CocoEvaluator evaluator =
        threads == null ? new CocoEvaluator() : new CocoEvaluator(threads);
    CocoEvalResult result = evaluator.evaluate(truth, detections, params.build());
    double seconds = (System.nanoTime() - start) / 1e9;

    PrintWriter out = spec.commandLine().getOut();
    Map<Integer, Double> perCategory = result.perCategoryAp();
    if (json) {
      ObjectMapper m = new ObjectMapper();
      ObjectNode root = m.createObjectNode();
      root.put("iouType", type.cocoName());
      ArrayNode stats = root.putArray("stats");
      for (double s : result.stats()) {
        stats.add(s);
      }
      ObjectNode cats = root.putObject("perCategory");
      perCategory.forEach((id, ap) -> {
        ObjectNode c = cats.putObject(String.valueOf(id));
        Category category = truth.dataset().category(id);
        c.put("name", category == null ? "" : category.name());
        c.put("AP", ap);
      });
      root.put("seconds", seconds);
      out.println(m.writeValueAsString(root));
    } else {
      out.printf(Locale.ROOT, "iouType=%s, %d images, %d detections, evaluated in %.2f s%n",
          type.cocoName(), truth.dataset().images().size(), detections.size(), seconds);
      for (String line : result.summaryLines()) {
        out.println(line);
      }
      if (!perCategory.isEmpty()) {
        out.println();
        out.println("per-category AP@[.50:.95]:");
        perCategory.forEach((id, ap) -> {
          Category category = truth.dataset().category(id);
          out.printf(Locale.ROOT, "  %4d %-24s %s%n", id,
              category == null ? "" : category.name(),
              ap < 0 ? "  -  (no ground truth)" : String.format(Locale.ROOT, "%.3f", ap));
        });
      }
    }
    if (plot != null) {
      PrecisionRecallPlot.write(plot, type.cocoName(), result.params().iouThrs(),
          result.params().recThrs(), result.precisionArray());
      if (!json) {
        out.println("precision/recall curves -> " + plot);
      }
    }
    out.flush();
    return 0;
  }
}
