package dev.pix2seq.eval.coco;

import dev.pix2seq.api.DatasetException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Evaluates COCO results against ground truth exactly as pycocotools' {@code COCOeval} does
 * ({@code evaluate()}, {@code accumulate()}, {@code summarize()}), on several threads.
 *
 * <pre>{@code
 * CocoEvaluator evaluator = new CocoEvaluator();
 * CocoEvalResult r = evaluator.evaluate(Path.of("gt.json"), Path.of("res.json"),
 *     CocoEvalParams.defaults(IouType.SEGM));
 * System.out.println(r.summary());
 * }</pre>
 *
 * <p>Per-image matching runs in parallel over images and categories, accumulation in parallel
 * over categories; every worker writes only its own slots and all sums are taken in a fixed
 * order, so the numbers are the same for any parallelism, bit for bit. Instances are immutable
 * and may be shared; each call uses its own threads and releases them before returning.
 */
public final class CocoEvaluator {
  private final int parallelism;

  /** An evaluator using every available processor. */
  public CocoEvaluator() {
    this(Runtime.getRuntime().availableProcessors());
  }

  /**
   * An evaluator using {@code parallelism} threads (1: all work on the calling thread).
   *
   * @throws IllegalArgumentException if parallelism is below 1
   */
  public CocoEvaluator(int parallelism) {
    if (parallelism < 1) {
      throw new IllegalArgumentException("parallelism must be >= 1, found " + parallelism);
    }
    this.parallelism = parallelism;
  }

  public int parallelism() {
    return parallelism;
  }

  /**
   * Reads a ground-truth file and a results file and evaluates them.
   *
   * @throws DatasetException if a file is missing or bad, or lacks what the iouType needs
   */
  public CocoEvalResult evaluate(Path groundTruthFile, Path resultsFile, CocoEvalParams params)
      throws DatasetException {
    CocoGroundTruth gt = CocoGroundTruth.read(groundTruthFile);
    return evaluate(gt, CocoResultsReader.read(resultsFile, gt), params);
  }

  /**
   * Evaluates results against ground truth.
   *
   * @param results results prepared against this same ground truth
   * @throws DatasetException if an annotation or result lacks what the iouType needs (a
   *     segmentation for segm, keypoints for keypoints), or a keypoint category has no sigmas
   * @throws IllegalArgumentException if the results were prepared against other ground truth
   */
  public CocoEvalResult evaluate(CocoGroundTruth gt, CocoResults results, CocoEvalParams params)
      throws DatasetException {
    check(gt, results, params);
    try (ParallelRunner runner = new ParallelRunner(parallelism)) {
      PreparedEvaluation p = PreparedEvaluation.prepare(gt, results, params, runner);
      UnitEvaluation[] units = evaluateUnits(p, runner, false);
      Accumulator acc = Accumulator.accumulate(p, units, runner);
      return CocoEvalResult.summarize(p, acc);
    }
  }

  /**
   * The per-image evaluations (pycocotools' {@code evalImgs} without its empty entries), in its
   * order: by category, then area range, then image.
   *
   * @throws DatasetException as {@link #evaluate(CocoGroundTruth, CocoResults, CocoEvalParams)}
   */
  public List<ImageEvaluation> evaluateImages(
      CocoGroundTruth gt, CocoResults results, CocoEvalParams params) throws DatasetException {
    check(gt, results, params);
    try (ParallelRunner runner = new ParallelRunner(parallelism)) {
      PreparedEvaluation p = PreparedEvaluation.prepare(gt, results, params, runner);
      UnitEvaluation[] units = evaluateUnits(p, runner, true);
      List<ImageEvaluation> out = new ArrayList<>();
      int images = p.imageCount();
      List<AreaRange> areas = params.areaRanges();
      for (int k = 0; k < p.unitCategories; k++) {
        for (int a = 0; a < areas.size(); a++) {
          for (int i = 0; i < images; i++) {
            UnitEvaluation e = units[k * images + i];
            if (e != null) {
              out.add(imageEvaluation(p, e, k, a, i));
            }
          }
        }
      }
      return out;
    }
  }

  static UnitEvaluation[] evaluateUnits(PreparedEvaluation p, ParallelRunner runner,
      boolean keepDetail) throws DatasetException {
    UnitEvaluation[] units = new UnitEvaluation[p.unitCount()];
    runner.forEach(units.length, u -> units[u] = ImageMatcher.evaluate(p, u, keepDetail));
    return units;
  }

  private static void check(CocoGroundTruth gt, CocoResults results, CocoEvalParams params) {
    if (gt == null || results == null || params == null) {
      throw new IllegalArgumentException("ground truth, results and params must not be null");
    }
    if (results.groundTruth() != gt) {
      throw new IllegalArgumentException(
          "results were prepared against other ground truth than the one given");
    }
  }

  private static ImageEvaluation imageEvaluation(
      PreparedEvaluation p, UnitEvaluation e, int k, int a, int i) {
    UnitEvaluation.Detail d = e.detail;
    int nd = e.dt.length;
    int[] gtOrder = d.gtOrder[a];
    int ng = gtOrder.length;
    int thresholds = p.params.iouThrCount();
    long[] dtIds = new long[nd];
    for (int j = 0; j < nd; j++) {
      dtIds[j] = p.dtId[e.dt[j]];
    }
    long[] gtIds = new long[ng];
    for (int j = 0; j < ng; j++) {
      gtIds[j] = p.gtId[gtOrder[j]];
    }
    long[][] dtMatches = new long[thresholds][nd];
    long[][] gtMatches = new long[thresholds][ng];
    boolean[][] dtIgnore = new boolean[thresholds][nd];
    for (int t = 0; t < thresholds; t++) {
      for (int j = 0; j < nd; j++) {
        int g = d.dtMatch[a][t * nd + j];
        dtMatches[t][j] = g < 0 ? 0 : p.gtId[g];
        dtIgnore[t][j] = d.dtIgnored[a][t * nd + j];
      }
      for (int j = 0; j < ng; j++) {
        int m = d.gtMatch[a][t * ng + j];
        gtMatches[t][j] = m < 0 ? 0 : p.dtId[m];
      }
    }
    int categoryId = p.params.useCats() ? p.catIds[k] : -1;
    return new ImageEvaluation(p.imgIds[i], categoryId, p.params.areaRanges().get(a),
        p.params.maxDet(p.params.maxDetCount() - 1), dtIds, gtIds, e.scores.clone(), dtMatches,
        gtMatches, dtIgnore, d.gtIgnored[a].clone());
  }
}
