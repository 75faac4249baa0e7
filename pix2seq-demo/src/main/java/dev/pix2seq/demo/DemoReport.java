package dev.pix2seq.demo;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pix2seq.api.config.ConfigIO;
import dev.pix2seq.api.config.ModelConfig;
import dev.pix2seq.api.config.TaskStage;
import dev.pix2seq.api.config.TrainConfig;
import dev.pix2seq.demo.eval.CocoScore;
import dev.pix2seq.demo.eval.DetectionScore;
import dev.pix2seq.demo.eval.KeypointScore;
import dev.pix2seq.demo.eval.MaskScore;
import dev.pix2seq.demo.eval.ModelEvaluation;
import dev.pix2seq.demo.report.MetricJson;
import dev.pix2seq.eval.caption.CaptionEvaluation;
import dev.pix2seq.eval.coco.IouType;
import dev.pix2seq.runtime.train.TrainingRun;
import dev.pix2seq.runtime.train.TrainingSummary;
import dev.pix2seq.tasks.TaskOptions;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The demo's report: what was trained, how, for how long, and how it scored on the held-out
 * split; written as {@value #MARKDOWN_FILE} (for people, with the plots and pictures) and
 * {@value #JSON_FILE}:
 *
 * <pre>
 * {
 *   "metrics":      {"bbox_AP": .., "segm_AP": .., "keypoints_AP": .., "BLEU-4": .., "CIDEr-D": ..},
 *   "extraMetrics": {"segm_AP_detected": .., "keypoints_AP_detected": .., "BLEU-1": .., ...},
 *   "evaluation":   {"images": .., "coco": {per score: stats, summary, perCategoryAP}, ...},
 *   "training":     {"steps": .., "stepsPlanned": .., "stopReason": .., "finalLoss": .., ...},
 *   "comparison":   {"rows": [{"task", "metric", "multiTask", "singleTask"}], "runs": {..}},
 *   "config":       {"model": .., "train": .., "taskOptions": .., "recipe": ..},
 *   "provenance":   {"library", "backend", "java", "os", "cores", "seed", "startedAt",
 *                    "durationsSeconds": {..}},
 *   "files":        {"checkpoint", "metricsLog", "evaluation", "plots", "pictures"}
 * }
 * </pre>
 *
 * AP values are pycocotools' AP@[.50:.95] in [0, 1], BLEU in [0, 1], CIDEr-D &gt;= 0; a value
 * that nothing defines (no ground truth of its kind among the held-out images, or a task that
 * was not trained) is {@code null}. {@code comparison} is present only when single-task models
 * were trained. Paths in the report are relative to its folder.
 *
 * @param output the demo folder (paths are written relative to it)
 * @param recipe the recipe
 * @param trainConfig the multi-task training config
 * @param taskOptions the task options the model was trained with (as the checkpoint records)
 * @param training how the multi-task training ended
 * @param imagesPerSecond training rows per second of the multi-task training
 * @param finalTaskLosses each task's mean loss over its last steps
 * @param evaluation the multi-task model's scores
 * @param singleTaskRuns the single-task models of the comparison (empty when not asked for)
 * @param pictures the drawn held-out images
 * @param plots plot files by name ({@code loss}, {@code loss-single-task}, {@code pr-<stem>})
 * @param evaluationDir where the results files and metrics of the evaluation are
 * @param provenance library, backend, Java, machine, seed, start
 * @param timings seconds per phase
 */
public record DemoReport(
    Path output,
    DemoRecipe recipe,
    TrainConfig trainConfig,
    Map<String, TaskOptions> taskOptions,
    TrainingSummary training,
    double imagesPerSecond,
    Map<String, Double> finalTaskLosses,
    ModelEvaluation evaluation,
    List<SingleTaskRun> singleTaskRuns,
    List<DemoPictures.PictureSet> pictures,
    Map<String, Path> plots,
    Path evaluationDir,
    DemoProvenance provenance,
    DemoTimings timings) {

  /** The report for people. */
  public static final String MARKDOWN_FILE = "report.md";
  /** The report for programs. */
  public static final String JSON_FILE = "report.json";
  /** The metrics of {@code "metrics"}, in order; the others go to {@code "extraMetrics"}. */
  public static final List<String> HEADLINE_METRICS = List.of(
      DetectionScore.METRIC, MaskScore.METRIC, KeypointScore.METRIC, CaptionEvaluation.BLEU_4,
      CaptionEvaluation.CIDER_D);

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  public DemoReport {
    if (output == null || recipe == null || trainConfig == null || training == null
        || evaluation == null || provenance == null || timings == null
        || evaluationDir == null) {
      throw new IllegalArgumentException("a demo report needs its output, recipe, configs, "
          + "training, evaluation, provenance and timings");
    }
    taskOptions = Collections.unmodifiableMap(new LinkedHashMap<>(taskOptions));
    finalTaskLosses = Collections.unmodifiableMap(new LinkedHashMap<>(finalTaskLosses));
    singleTaskRuns = List.copyOf(singleTaskRuns);
    pictures = List.copyOf(pictures);
    plots = Collections.unmodifiableMap(new LinkedHashMap<>(plots));
  }

  /** The headline metrics, every key of {@link #HEADLINE_METRICS} (NaN where undefined). */
  public Map<String, Double> metrics() {
    Map<String, Double> all = evaluation.metrics();
    Map<String, Double> out = new LinkedHashMap<>();
    for (String k : HEADLINE_METRICS) {
      out.put(k, all.getOrDefault(k, Double.NaN));
    }
    return Collections.unmodifiableMap(out);
  }

  /** The evaluation's other metrics (own-detection AP, BLEU-1..3). */
  public Map<String, Double> extraMetrics() {
    Map<String, Double> out = new LinkedHashMap<>(evaluation.metrics());
    out.keySet().removeAll(HEADLINE_METRICS);
    return Collections.unmodifiableMap(out);
  }

  /**
   * The single-task comparison, row by row: each single-task model's metrics beside the
   * multi-task model's.
   */
  public List<ComparisonRow> comparison() {
    List<ComparisonRow> rows = new ArrayList<>();
    Map<String, Double> multi = evaluation.metrics();
    for (SingleTaskRun run : singleTaskRuns) {
      run.evaluation().metrics().forEach((metric, single) -> rows.add(new ComparisonRow(
          run.task(), metric, multi.getOrDefault(metric, Double.NaN), single)));
    }
    return rows;
  }

  /**
   * One metric of one task, multi-task model beside single-task model.
   *
   * @param task the task
   * @param metric the metric key
   * @param multiTask the multi-task model's value (NaN where undefined)
   * @param singleTask the single-task model's value (NaN where undefined)
   */
  public record ComparisonRow(String task, String metric, double multiTask, double singleTask) {}

  /** The report as JSON (see the class notes). */
  public ObjectNode toJson() {
    ObjectNode root = MetricJson.object();
    root.set("metrics", MetricJson.of(metrics()));
    root.set("extraMetrics", MetricJson.of(extraMetrics()));
    ObjectNode eval = evaluation.toJson();
    eval.put("dataset", relative(output.resolve("data").resolve("heldout")));
    root.set("evaluation", eval);

    ObjectNode t = root.putObject("training");
    t.put("steps", training.lastStep());
    t.put("stepsPlanned", training.totalSteps());
    t.put("stopReason", training.reason().name());
    MetricJson.put(t, "finalLoss", training.finalLoss());
    t.set("finalTaskLosses", MetricJson.of(finalTaskLosses));
    t.put("trainingSeconds", training.elapsedSeconds());
    MetricJson.put(t, "imagesPerSecond", imagesPerSecond);
    t.put("trainImages", recipe.trainImages());

    if (!singleTaskRuns.isEmpty()) {
      ObjectNode c = root.putObject("comparison");
      ArrayNode rows = c.putArray("rows");
      for (ComparisonRow r : comparison()) {
        ObjectNode row = rows.addObject();
        row.put("task", r.task());
        row.put("metric", r.metric());
        MetricJson.put(row, "multiTask", r.multiTask());
        MetricJson.put(row, "singleTask", r.singleTask());
      }
      ObjectNode runs = c.putObject("runs");
      for (SingleTaskRun run : singleTaskRuns) {
        ObjectNode n = runs.putObject(run.task());
        n.put("steps", run.training().lastStep());
        n.put("stepsPlanned", run.training().totalSteps());
        n.put("stopReason", run.training().reason().name());
        MetricJson.put(n, "finalLoss", run.training().finalLoss());
        n.put("trainSeconds", run.trainSeconds());
        n.put("evaluationSeconds", run.evaluationSeconds());
        n.put("run", relative(run.training().output()));
      }
    }

    ObjectMapper configs = ConfigIO.mapper();
    ObjectNode config = root.putObject("config");
    config.set("model", configs.valueToTree(recipe.model()));
    config.set("train", configs.valueToTree(trainConfig));
    ObjectNode options = config.putObject("taskOptions");
    taskOptions.forEach((k, v) -> options.set(k, configs.valueToTree(v)));
    config.set("recipe", recipe.toJson());

    ObjectNode p = provenance.toJson();
    p.set("durationsSeconds", timings.toJson());
    root.set("provenance", p);

    ObjectNode files = root.putObject("files");
    files.put("report", MARKDOWN_FILE);
    files.put("checkpoint", relative(training.checkpoint()));
    files.put("metricsLog", relative(training.output().resolve(TrainingRun.METRICS_FILE)));
    files.put("evaluation", relative(evaluationDir));
    ObjectNode plotFiles = files.putObject("plots");
    plots.forEach((k, v) -> plotFiles.put(k, relative(v)));
    ArrayNode pics = files.putArray("pictures");
    for (DemoPictures.PictureSet set : pictures) {
      ObjectNode n = pics.addObject();
      n.put("imageId", set.imageId());
      ObjectNode f = n.putObject("files");
      set.files().forEach((k, v) -> f.put(k, relative(v)));
    }
    return root;
  }

  /** The report in Markdown (see the class notes). */
  public String toMarkdown() {
    StringBuilder md = new StringBuilder();
    ModelConfig model = recipe.model();
    line(md, "# pix2seq-java demo");
    line(md, "");
    line(md, String.format(Locale.ROOT, "One Pix2seq model (preset `%s`, %s px input) trained "
        + "on **%s** of %d synthetic %dx%d scenes for %d of %d steps (%s) in %s, then evaluated "
        + "on %d held-out scenes drawn with another seed. Backend `%s`, %d cores, "
        + "pix2seq-java %s.", model.preset(), model.imageSize(),
        String.join(", ", trainConfig.tasks()), recipe.trainImages(), recipe.scenes().width(),
        recipe.scenes().height(), training.lastStep(), training.totalSteps(),
        stopReason(training.reason()), duration(training.elapsedSeconds()),
        evaluation.imageIds().size(), provenance.backend(), provenance.cores(),
        provenance.libraryVersion()));
    line(md, "");

    line(md, "## Held-out metrics");
    line(md, "");
    line(md, "| metric | value | what |");
    line(md, "|---|---:|---|");
    for (Map.Entry<String, Double> e : evaluation.metrics().entrySet()) {
      line(md, "| " + e.getKey() + " | " + ModelEvaluation.format(e.getValue()) + " | "
          + meaning(e.getKey()) + " |");
    }
    line(md, "");
    line(md, "AP is pycocotools' AP@[.50:.95] (0 to 1); *n/a* where the held-out images hold no "
        + "ground truth of the kind. Keypoint similarity (OKS) uses sigmas per body part taken "
        + "from COCO's. BLEU and CIDEr-D as the COCO caption toolkit computes them.");
    line(md, "");
    List<CocoScore> scores = evaluation.cocoScores();
    if (!scores.isEmpty()) {
      line(md, "| COCO score | AP | AP50 | AP75 | AR | results |");
      line(md, "|---|---:|---:|---:|---:|---:|");
      for (CocoScore s : scores) {
        int ar = s.iouType() == IouType.KEYPOINTS ? 5 : 8;
        line(md, "| " + s.title() + " | " + ModelEvaluation.format(s.ap()) + " | "
            + ModelEvaluation.format(s.stat(1)) + " | " + ModelEvaluation.format(s.stat(2))
            + " | " + ModelEvaluation.format(s.stat(ar)) + " | " + s.results().size() + " |");
      }
      line(md, "");
    }

    if (!singleTaskRuns.isEmpty()) {
      line(md, "## Multi-task vs single-task");
      line(md, "");
      SingleTaskRun first = singleTaskRuns.get(0);
      line(md, String.format(Locale.ROOT, "The same training budget spent on one model per "
          + "task: each trained alone for 1/%d of the multi-task model's time (%d of %d steps "
          + "planned), evaluated on the same held-out scenes.", singleTaskRuns.size(),
          first.training().totalSteps(), training.totalSteps()));
      line(md, "");
      line(md, "| task | metric | multi-task | single-task |");
      line(md, "|---|---|---:|---:|");
      for (ComparisonRow r : comparison()) {
        line(md, "| " + r.task() + " | " + r.metric() + " | "
            + ModelEvaluation.format(r.multiTask()) + " | "
            + ModelEvaluation.format(r.singleTask()) + " |");
      }
      line(md, "");
      line(md, "| single-task model | steps | stopped | final loss | training |");
      line(md, "|---|---:|---|---:|---:|");
      for (SingleTaskRun run : singleTaskRuns) {
        line(md, String.format(Locale.ROOT, "| %s | %d / %d | %s | %s | %s |", run.task(),
            run.training().lastStep(), run.training().totalSteps(),
            stopReason(run.training().reason()), loss(run.training().finalLoss()),
            duration(run.trainSeconds())));
      }
      line(md, "");
    }

    line(md, "## Training");
    line(md, "");
    line(md, String.format(Locale.ROOT, "- steps: %d of %d (%s), batch %d, peak learning rate "
        + "%s, %s warm-up steps, %s schedule, %s mixing", training.lastStep(),
        training.totalSteps(), stopReason(training.reason()), trainConfig.batchSize(),
        trainConfig.learningRate(), trainConfig.warmupSteps(), trainConfig.schedule(),
        trainConfig.mixing()));
    long stageStart = 0;
    for (TaskStage stage : trainConfig.stages()) {
      line(md, String.format(Locale.ROOT, "- steps %d to %d: %s only", stageStart + 1,
          stageStart + stage.steps(), stageTasks(stage)));
      stageStart += stage.steps();
    }
    line(md, String.format(Locale.ROOT, "- time: %s of training at %.1f images/s",
        duration(training.elapsedSeconds()), imagesPerSecond));
    line(md, "- final loss: " + loss(training.finalLoss()) + "; per task (mean of its last "
        + "steps): " + taskLosses());
    line(md, "");
    appendImage(md, "loss", "training loss");
    appendImage(md, "loss-single-task", "single-task training loss");

    if (!scores.isEmpty()) {
      line(md, "## Precision / recall");
      line(md, "");
      for (CocoScore s : scores) {
        appendImage(md, "pr-" + s.fileStem(), "precision/recall " + s.title());
      }
    }

    if (!pictures.isEmpty()) {
      line(md, "## Predictions on held-out scenes");
      line(md, "");
      line(md, "Segmentation and keypoints prompted by the ground-truth boxes; *all* runs the "
          + "whole pipeline on the model's own detections.");
      line(md, "");
      List<String> kinds = new ArrayList<>();
      for (String k : DemoPictures.KINDS) {
        if (pictures.stream().anyMatch(p -> p.files().containsKey(k))) {
          kinds.add(k);
        }
      }
      line(md, "| image | " + String.join(" | ", kinds) + " |");
      line(md, "|---|" + "---|".repeat(kinds.size()));
      for (DemoPictures.PictureSet set : pictures) {
        StringBuilder row = new StringBuilder("| " + set.imageId() + " |");
        for (String k : kinds) {
          Path f = set.files().get(k);
          row.append(f == null ? " |" : " <img src=\"" + relative(f) + "\" width=\"200\"> |");
        }
        line(md, row.toString());
      }
      line(md, "");
    }

    line(md, "## Configuration");
    line(md, "");
    line(md, "The full model, training and task configs and the recipe are in `" + JSON_FILE
        + "` (`config`). Model:");
    line(md, "");
    line(md, String.format(Locale.ROOT, "- encoder: ViT %d layers x %d wide, %d heads, patch "
        + "%d%s (%d image tokens)", model.encoderLayers(), model.encoderWidth(),
        model.encoderHeads(), model.patchSize(), model.convStem() ? " with conv stem" : "",
        model.imageTokens()));
    line(md, String.format(Locale.ROOT, "- decoder: %d layers x %d wide, %d heads, %d positions",
        model.decoderLayers(), model.decoderWidth(), model.decoderHeads(),
        model.maxSequenceLength()));
    line(md, String.format(Locale.ROOT, "- vocabulary: %d coordinate bins, caption tokenizer of "
        + "at most %d tokens", recipe.coordBins(), recipe.textVocabSize()));
    line(md, "");

    line(md, "## Provenance");
    line(md, "");
    line(md, "| | |");
    line(md, "|---|---|");
    line(md, "| library | pix2seq-java " + provenance.libraryVersion() + " |");
    line(md, "| backend | " + provenance.backend() + " |");
    line(md, "| Java | " + provenance.javaVersion() + " (" + provenance.javaVendor() + ") |");
    line(md, "| machine | " + provenance.os() + ", " + provenance.cores() + " cores, "
        + provenance.maxHeapBytes() / (1024 * 1024) + " MiB heap |");
    line(md, "| seed | " + provenance.seed() + " |");
    line(md, "| started | " + provenance.startedAt() + " |");
    line(md, String.format(Locale.ROOT, "| durations | data %s, training %s, evaluation %s%s, "
        + "pictures %s, total %s |", duration(timings.data()), duration(timings.training()),
        duration(timings.evaluation()),
        singleTaskRuns.isEmpty() ? "" : ", comparison " + duration(timings.comparison()),
        duration(timings.pictures()), duration(timings.total())));
    return md.toString();
  }

  /**
   * Writes {@value #MARKDOWN_FILE} and {@value #JSON_FILE} into the output folder, atomically.
   *
   * @return the Markdown file
   */
  public Path write() throws IOException {
    ConfigIO.writeAtomically(output.resolve(JSON_FILE), JSON.writeValueAsBytes(toJson()));
    Path md = output.resolve(MARKDOWN_FILE);
    ConfigIO.writeAtomically(md, toMarkdown().getBytes(StandardCharsets.UTF_8));
    return md;
  }

  private void appendImage(StringBuilder md, String plot, String alt) {
    Path f = plots.get(plot);
    if (f != null) {
      line(md, "![" + alt + "](" + relative(f) + ")");
      line(md, "");
    }
  }

  private String taskLosses() {
    if (finalTaskLosses.isEmpty()) {
      return "n/a";
    }
    List<String> parts = new ArrayList<>();
    finalTaskLosses.forEach((k, v) -> parts.add(k + " " + loss(v)));
    return String.join(", ", parts);
  }

  private String relative(Path p) {
    Path base = output.toAbsolutePath().normalize();
    Path abs = p.toAbsolutePath().normalize();
    return abs.startsWith(base) ? base.relativize(abs).toString().replace('\\', '/')
        : abs.toString();
  }

  private static String meaning(String metric) {
    return switch (metric) {
      case DetectionScore.METRIC -> "detected boxes";
      case MaskScore.METRIC -> "masks prompted by ground-truth boxes";
      case MaskScore.METRIC + "_detected" -> "masks of the model's own detections";
      case KeypointScore.METRIC -> "keypoints prompted by ground-truth person boxes";
      case KeypointScore.METRIC + "_detected" -> "keypoints of the model's own person detections";
      case CaptionEvaluation.CIDER_D -> "captions (consensus with the references)";
      default -> metric.startsWith("BLEU") ? "captions (n-gram precision)" : "";
    };
  }

  private static String stopReason(TrainingSummary.StopReason reason) {
    return switch (reason) {
      case COMPLETED -> "completed";
      case TIME_BUDGET -> "stopped by the time budget";
      case STOP_REQUESTED -> "stopped on request";
    };
  }

  private static String loss(double v) {
    return Double.isFinite(v) ? String.format(Locale.ROOT, "%.4f", v) : "n/a";
  }

  static String duration(double seconds) {
    long s = Math.max(0, Math.round(seconds));
    if (s < 60) {
      return s + " s";
    }
    return String.format(Locale.ROOT, "%d min %02d s", s / 60, s % 60);
  }

  private static void line(StringBuilder sb, String text) {
    sb.append(text).append('\n');
  }

  /** The tasks a stage trains, with their weights when they differ. */
  private static String stageTasks(TaskStage stage) {
    List<String> names = new ArrayList<>();
    boolean equal = stage.taskWeights().values().stream().distinct().count() == 1;
    stage.taskWeights().forEach((task, weight) -> {
      if (weight > 0) {
        names.add(equal ? task : task + " (weight " + weight + ")");
      }
    });
    return String.join(", ", names);
  }
}
