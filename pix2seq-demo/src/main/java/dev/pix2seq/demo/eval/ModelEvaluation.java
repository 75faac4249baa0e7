package dev.pix2seq.demo.eval;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pix2seq.api.value.Category;
import dev.pix2seq.demo.report.MetricJson;
import dev.pix2seq.eval.caption.CaptionEvaluation;
import dev.pix2seq.eval.report.PrecisionRecallPlot;
import dev.pix2seq.runtime.predict.CocoResultsWriter;
import dev.pix2seq.runtime.predict.ImagePredictions;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * What a {@link ModelEvaluator} found: per task its score (COCO results plus their pycocotools
 * evaluation, or the caption metrics), the predictions they were computed from, and the flat
 * {@link #metrics()} map. Writes COCO results files, a metrics JSON and precision/recall plots:
 *
 * <pre>
 *   DIR/results-bbox.json                  detections (pycocotools' loadRes format)
 *   DIR/results-segm-gt-boxes.json         masks prompted by ground-truth boxes
 *   DIR/results-segm-detected.json         masks prompted by the model's own detections
 *   DIR/results-keypoints-gt-boxes.json    keypoints prompted by ground-truth person boxes
 *   DIR/results-keypoints-detected.json    keypoints prompted by own person detections
 *   DIR/results-captions.json              captions (the caption toolkit's format)
 *   DIR/metrics.json                       {@link #toJson()}
 *   DIR/pr-&lt;stem&gt;.png                      precision/recall curves of each COCO score
 * </pre>
 *
 * (only the files of the tasks evaluated). Immutable and thread-safe.
 */
public final class ModelEvaluation {
  /** The metrics file {@link #writeAll} writes. */
  public static final String METRICS_FILE = "metrics.json";

  private final List<String> tasks;
  private final List<Long> imageIds;
  private final List<Category> categories;
  private final DetectionScore detection;
  private final Map<BoxSource, MaskScore> masks;
  private final Map<BoxSource, KeypointScore> keypoints;
  private final CaptionScore captions;
  private final Map<BoxSource, List<ImagePredictions>> predictions;
  private final double predictSeconds;
  private final double scoreSeconds;

  private ModelEvaluation(Builder b) {
    this.tasks = List.copyOf(b.tasks);
    this.imageIds = List.copyOf(b.imageIds);
    this.categories = List.copyOf(b.categories);
    this.detection = b.detection;
    this.masks = Collections.unmodifiableMap(new EnumMap<>(b.masks));
    this.keypoints = Collections.unmodifiableMap(new EnumMap<>(b.keypoints));
    this.captions = b.captions;
    Map<BoxSource, List<ImagePredictions>> p = new EnumMap<>(BoxSource.class);
    b.predictions.forEach((k, v) -> p.put(k, List.copyOf(v)));
    this.predictions = Collections.unmodifiableMap(p);
    this.predictSeconds = b.predictSeconds;
    this.scoreSeconds = b.scoreSeconds;
  }

  /** A builder; tasks, image ids and categories are required. */
  public static Builder builder() {
    return new Builder();
  }

  /** The evaluated tasks, in the order they were asked for. */
  public List<String> tasks() {
    return tasks;
  }

  /** The evaluated images, in dataset order. */
  public List<Long> imageIds() {
    return imageIds;
  }

  /** The dataset's categories (names for per-category AP). */
  public List<Category> categories() {
    return categories;
  }

  /** The detection score, when {@code detect} was evaluated. */
  public Optional<DetectionScore> detection() {
    return Optional.ofNullable(detection);
  }

  /**
   * The segmentation score with masks prompted by {@code boxes}, when {@code segment} was
   * evaluated (with own detections only when {@code detect} was evaluated too).
   */
  public Optional<MaskScore> segmentation(BoxSource boxes) {
    return Optional.ofNullable(masks.get(boxes));
  }

  /** The keypoint score with instances prompted by {@code boxes}; see {@link #segmentation}. */
  public Optional<KeypointScore> keypoints(BoxSource boxes) {
    return Optional.ofNullable(keypoints.get(boxes));
  }

  /** The captioning score, when {@code describe} was evaluated. */
  public Optional<CaptionScore> captions() {
    return Optional.ofNullable(captions);
  }

  /**
   * Every COCO score, in the order bbox, segm (ground-truth boxes, own detections), keypoints
   * (ground-truth boxes, own detections).
   */
  public List<CocoScore> cocoScores() {
    List<CocoScore> out = new ArrayList<>();
    if (detection != null) {
      out.add(detection);
    }
    for (BoxSource s : BoxSource.values()) {
      segmentation(s).ifPresent(out::add);
    }
    for (BoxSource s : BoxSource.values()) {
      keypoints(s).ifPresent(out::add);
    }
    return out;
  }

  /**
   * The predictions of every evaluated image with instance tasks prompted by {@code boxes}:
   * detections and captions are the same in both, masks and keypoints differ. Empty when no
   * instance task was prompted so (the detections and captions are then under {@link
   * BoxSource#GROUND_TRUTH}).
   */
  public List<ImagePredictions> predictions(BoxSource boxes) {
    return predictions.getOrDefault(boxes, List.of());
  }

  /** Seconds spent running the model. */
  public double predictSeconds() {
    return predictSeconds;
  }

  /** Seconds spent scoring. */
  public double scoreSeconds() {
    return scoreSeconds;
  }

  /**
   * The metrics, in a fixed order, of the evaluated tasks: {@code bbox_AP}, {@code segm_AP},
   * {@code segm_AP_detected}, {@code keypoints_AP}, {@code keypoints_AP_detected} (each
   * pycocotools' AP@[.50:.95] in [0, 1], NaN where undefined: no ground truth of the kind among
   * the evaluated images), {@code BLEU-1} .. {@code BLEU-4} in [0, 1] and {@code CIDEr-D}
   * (&gt;= 0).
   */
  public Map<String, Double> metrics() {
    Map<String, Double> m = new LinkedHashMap<>();
    for (CocoScore s : cocoScores()) {
      m.put(s.metricKey(), s.ap());
    }
    if (captions != null) {
      m.putAll(captions.metrics());
    }
    return Collections.unmodifiableMap(m);
  }

  /**
   * Everything as JSON: {@code tasks}, {@code images}, {@code metrics} ({@link #metrics()},
   * undefined values as null), {@code coco} (per score: iouType, prompt boxes, result count,
   * pycocotools' 10 or 12 {@code stats} and {@code summary} lines, per-category AP by name),
   * {@code captions} (evaluated and caption-less image counts) and {@code seconds}.
   */
  public ObjectNode toJson() {
    ObjectNode root = MetricJson.object();
    ArrayNode t = root.putArray("tasks");
    tasks.forEach(t::add);
    root.put("images", imageIds.size());
    root.set("metrics", MetricJson.of(metrics()));
    ObjectNode coco = root.putObject("coco");
    for (CocoScore s : cocoScores()) {
      ObjectNode n = coco.putObject(s.fileStem());
      n.put("iouType", s.iouType().cocoName());
      n.put("boxes", s.boxSource().map(BoxSource::fileTag).orElse("none"));
      n.put("results", s.results().size());
      ArrayNode stats = n.putArray("stats");
      for (double v : s.evaluation().stats()) {
        stats.add(v);
      }
      ArrayNode summary = n.putArray("summary");
      s.evaluation().summaryLines().forEach(summary::add);
      ObjectNode perCategory = n.putObject("perCategoryAP");
      s.evaluation().perCategoryAp().forEach((id, ap) ->
          MetricJson.put(perCategory, categoryName(id), ap < 0 ? Double.NaN : ap));
    }
    if (captions != null) {
      CaptionEvaluation e = captions.evaluation();
      ObjectNode c = root.putObject("captions");
      c.put("images", e.imageCount());
      c.put("imagesWithoutCaption", e.imagesWithoutResult().size());
      c.set("metrics", MetricJson.of(e.metrics()));
    }
    ObjectNode seconds = root.putObject("seconds");
    seconds.put("predict", predictSeconds);
    seconds.put("score", scoreSeconds);
    return root;
  }

  /**
   * Writes a COCO results file per score ({@code results-<stem>.json}) and the captions
   * ({@code results-captions.json}) into {@code dir}, atomically.
   *
   * @return the files written
   */
  public List<Path> writeResults(Path dir) throws IOException {
    List<Path> out = new ArrayList<>();
    for (CocoScore s : cocoScores()) {
      Path file = dir.resolve("results-" + s.fileStem() + ".json");
      CocoResultsWriter.write(file, s.results());
      out.add(file);
    }
    if (captions != null) {
      Path file = dir.resolve("results-captions.json");
      CocoResultsWriter.write(file, captions.results());
      out.add(file);
    }
    return out;
  }

  /** Writes {@link #toJson()} to {@code file}, atomically. */
  public void writeMetrics(Path file) throws IOException {
    MetricJson.write(file, toJson());
  }

  /**
   * Draws the precision/recall curves of each COCO score into {@code dir/pr-<stem>.png}.
   *
   * @return the files written
   */
  public List<Path> writePrecisionRecallPlots(Path dir) throws IOException {
    List<Path> out = new ArrayList<>();
    for (CocoScore s : cocoScores()) {
      Path file = dir.resolve("pr-" + s.fileStem() + ".png");
      PrecisionRecallPlot.write(file, s.title(), s.evaluation().params().iouThrs(),
          s.evaluation().params().recThrs(), s.evaluation().precisionArray());
      out.add(file);
    }
    return out;
  }

  /**
   * Writes the results files, {@value #METRICS_FILE} and the plots into {@code dir} (see the
   * class notes).
   *
   * @return the files written
   */
  public List<Path> writeAll(Path dir) throws IOException {
    List<Path> out = new ArrayList<>(writeResults(dir));
    Path metrics = dir.resolve(METRICS_FILE);
    writeMetrics(metrics);
    out.add(metrics);
    out.addAll(writePrecisionRecallPlots(dir));
    return out;
  }

  /**
   * A few lines for a console: images and seconds, then each metric with, for COCO scores,
   * AP50 and AP75.
   */
  public String summary() {
    StringBuilder sb = new StringBuilder();
    sb.append(String.format(Locale.ROOT, "%d images, tasks %s (predicted in %.1f s, scored in "
        + "%.1f s)%n", imageIds.size(), tasks, predictSeconds, scoreSeconds));
    for (CocoScore s : cocoScores()) {
      sb.append(String.format(Locale.ROOT, "  %-22s %s  (AP50 %s, AP75 %s; %d results)%n",
          s.metricKey(), format(s.ap()), format(s.stat(1)), format(s.stat(2)),
          s.results().size()));
    }
    if (captions != null) {
      captions.metrics().forEach((k, v) ->
          sb.append(String.format(Locale.ROOT, "  %-22s %s%n", k, format(v))));
    }
    return sb.toString().stripTrailing();
  }

  /** A metric with three decimals, or {@code n/a} when undefined. */
  public static String format(double value) {
    return Double.isFinite(value) ? String.format(Locale.ROOT, "%.3f", value) : "n/a";
  }

  private String categoryName(int id) {
    for (Category c : categories) {
      if (c.id() == id) {
        return c.name();
      }
    }
    return String.valueOf(id);
  }

  @Override
  public String toString() {
    return "ModelEvaluation[" + imageIds.size() + " images, " + metrics() + "]";
  }

  /**
   * Builds a {@link ModelEvaluation} (used by {@link ModelEvaluator}; also for scores computed
   * with a {@link PredictionScorer} directly).
   */
  public static final class Builder {
    private List<String> tasks;
    private List<Long> imageIds;
    private List<Category> categories;
    private DetectionScore detection;
    private final Map<BoxSource, MaskScore> masks = new EnumMap<>(BoxSource.class);
    private final Map<BoxSource, KeypointScore> keypoints = new EnumMap<>(BoxSource.class);
    private CaptionScore captions;
    private final Map<BoxSource, List<ImagePredictions>> predictions =
        new EnumMap<>(BoxSource.class);
    private double predictSeconds;
    private double scoreSeconds;

    private Builder() {}

    public Builder setTasks(List<String> evaluatedTasks) {
      this.tasks = List.copyOf(evaluatedTasks);
      return this;
    }

    public Builder setImageIds(List<Long> ids) {
      this.imageIds = List.copyOf(ids);
      return this;
    }

    public Builder setCategories(List<Category> datasetCategories) {
      this.categories = List.copyOf(datasetCategories);
      return this;
    }

    public Builder optDetection(DetectionScore score) {
      this.detection = score;
      return this;
    }

    public Builder optSegmentation(MaskScore score) {
      if (score == null) {
        throw new IllegalArgumentException("a segmentation score must not be null");
      }
      masks.put(score.boxes(), score);
      return this;
    }

    public Builder optKeypoints(KeypointScore score) {
      if (score == null) {
        throw new IllegalArgumentException("a keypoint score must not be null");
      }
      keypoints.put(score.boxes(), score);
      return this;
    }

    public Builder optCaptions(CaptionScore score) {
      this.captions = score;
      return this;
    }

    /** The predictions behind the scores, with instance tasks prompted by {@code boxes}. */
    public Builder optPredictions(BoxSource boxes, List<ImagePredictions> list) {
      if (boxes == null || list == null) {
        throw new IllegalArgumentException("predictions need their box source and a list");
      }
      predictions.put(boxes, List.copyOf(list));
      return this;
    }

    public Builder optSeconds(double predict, double score) {
      this.predictSeconds = predict;
      this.scoreSeconds = score;
      return this;
    }

    /** @throws IllegalArgumentException if tasks, image ids or categories are missing */
    public ModelEvaluation build() {
      if (tasks == null || imageIds == null || categories == null) {
        throw new IllegalArgumentException(
            "an evaluation needs its tasks, image ids and categories");
      }
      return new ModelEvaluation(this);
    }
  }
}
