package dev.pix2seq.eval.coco;

import dev.pix2seq.api.DatasetException;
import dev.pix2seq.api.value.Category;
import dev.pix2seq.api.value.Keypoint;
import dev.pix2seq.api.value.RleMask;
import dev.pix2seq.data.coco.CocoAnnotation;
import dev.pix2seq.data.coco.CocoDataset;
import dev.pix2seq.data.coco.CocoImage;
import dev.pix2seq.api.mask.RleMasks;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Ground truth and detections arranged for evaluation, as pycocotools' {@code _prepare} arranges
 * them: instances of the evaluated images and categories in flat arrays, grouped into units
 * (one per image and category, or one per image without useCats) in pycocotools' list order,
 * with masks or keypoints ready for the iouType. Read-only once built; shared by the workers.
 */
final class PreparedEvaluation {
  final CocoEvalParams params;
  final IouType iouType;
  final long[] imgIds;
  /** The K categories of the result arrays (useCats) or the pooled categories' order. */
  final int[] catIds;
  /** K of the result arrays: catIds.length with useCats, else 1. */
  final int unitCategories;

  final long[] gtId;
  final double[] gtArea;
  final boolean[] gtCrowd;
  final boolean[] gtIgnore;
  final double[] gtBox;
  final RleMask[] gtMask;
  final double[][] gtKeypoints;

  final long[] dtId;
  final double[] dtScore;
  final double[] dtArea;
  final double[] dtBox;
  /** Result index of each detection (to make its mask on demand, for segm). */
  final int[] dtResult;
  private final CocoResults results;
  private final CocoDataset dataset;
  final double[][] dtKeypoints;

  /** Units {@code k * I + i}: ground truth (local indices) in pycocotools' order. */
  final int[][] unitGt;
  /** Units {@code k * I + i}: detections (local indices) in pycocotools' order. */
  final int[][] unitDt;
  /** OKS variances {@code (2 sigma)^2} per unit category (keypoints with useCats). */
  final double[][] oksVariances;

  private PreparedEvaluation(Builder b) {
    params = b.params;
    iouType = b.params.iouType();
    imgIds = b.imgIds;
    catIds = b.catIds;
    unitCategories = b.params.useCats() ? catIds.length : 1;
    int ng = b.gtAnn.size();
    gtId = new long[ng];
    gtArea = new double[ng];
    gtCrowd = new boolean[ng];
    gtIgnore = new boolean[ng];
    gtBox = new double[4 * ng];
    gtMask = iouType == IouType.SEGM ? new RleMask[ng] : null;
    gtKeypoints = iouType == IouType.KEYPOINTS ? new double[ng][] : null;
    int nd = b.dtIndex.size();
    dtId = new long[nd];
    dtScore = new double[nd];
    dtArea = new double[nd];
    dtBox = new double[4 * nd];
    dtResult = b.dtIndex.toArray();
    results = b.results;
    dataset = b.dataset;
    dtKeypoints = iouType == IouType.KEYPOINTS ? new double[nd][] : null;
    unitGt = b.unitGt;
    unitDt = b.unitDt;
    oksVariances = new double[unitCategories][];
  }

  int imageCount() {
    return imgIds.length;
  }

  int unitCount() {
    return unitGt.length;
  }

  /**
   * Arranges the ground truth and results for the parameters.
   *
   * @throws DatasetException if the ground truth or a result lacks what the iouType needs
   */
  static PreparedEvaluation prepare(CocoGroundTruth gt, CocoResults results,
      CocoEvalParams params, ParallelRunner runner) throws DatasetException {
    CocoDataset data = gt.dataset();
    Builder b = new Builder(params, results, data);
    b.imgIds = params.imgIdsOrNull() != null ? params.imgIdsOrNull()
        : data.images().stream().mapToLong(CocoImage::id).sorted().distinct().toArray();
    b.catIds = params.catIdsOrNull() != null ? params.catIdsOrNull()
        : data.categories().stream().mapToInt(Category::id).sorted().distinct().toArray();
    Map<Integer, Integer> catPos = new HashMap<>();
    for (int k = 0; k < b.catIds.length; k++) {
      catPos.put(b.catIds[k], k);
    }
    int imageCount = b.imgIds.length;
    int cats = b.catIds.length;
    int units = params.useCats() ? cats * imageCount : imageCount;
    b.unitGt = new int[units][];
    b.unitDt = new int[units][];

    Map<Long, List<Integer>> resultsByImage = new HashMap<>();
    for (int r = 0; r < results.size(); r++) {
      resultsByImage.computeIfAbsent(results.detections().get(r).imageId(),
          k -> new ArrayList<>()).add(r);
    }
    List<CocoAnnotation> anns = data.annotations();
    int[][] perCatGt = new int[cats][];
    int[][] perCatDt = new int[cats][];
    int[] gtCount = new int[cats];
    int[] dtCount = new int[cats];
    for (int i = 0; i < imageCount; i++) {
      long imageId = b.imgIds[i];
      Arrays.fill(gtCount, 0);
      Arrays.fill(dtCount, 0);
      int[] imageAnns = gt.annotationIndicesOf(imageId);
      for (int a : imageAnns) {
        Integer k = catPos.get(anns.get(a).categoryId());
        if (k != null) {
          perCatGt[k] = append(perCatGt[k], gtCount[k]++, b.addGt(a));
        }
      }
      for (int r : resultsByImage.getOrDefault(imageId, List.of())) {
        Integer k = catPos.get(results.detections().get(r).categoryId());
        if (k != null) {
          perCatDt[k] = append(perCatDt[k], dtCount[k]++, b.addDt(r));
        }
      }
      if (params.useCats()) {
        for (int k = 0; k < cats; k++) {
          b.unitGt[k * imageCount + i] = gtCount[k] == 0 ? EMPTY
              : Arrays.copyOf(perCatGt[k], gtCount[k]);
          b.unitDt[k * imageCount + i] = dtCount[k] == 0 ? EMPTY
              : Arrays.copyOf(perCatDt[k], dtCount[k]);
        }
      } else {
        b.unitGt[i] = concat(perCatGt, gtCount);
        b.unitDt[i] = concat(perCatDt, dtCount);
      }
    }
    PreparedEvaluation p = new PreparedEvaluation(b);
    p.fill(gt, results, b, runner);
    return p;
  }

  private static final int[] EMPTY = new int[0];

  private static int[] append(int[] a, int size, int value) {
    if (a == null) {
      a = new int[8];
    } else if (size == a.length) {
      a = Arrays.copyOf(a, size * 2);
    }
    a[size] = value;
    return a;
  }

  private static int[] concat(int[][] parts, int[] counts) {
    int n = 0;
    for (int c : counts) {
      n += c;
    }
    if (n == 0) {
      return EMPTY;
    }
    int[] out = new int[n];
    int o = 0;
    for (int k = 0; k < parts.length; k++) {
      if (counts[k] > 0) {
        System.arraycopy(parts[k], 0, out, o, counts[k]);
        o += counts[k];
      }
    }
    return out;
  }

  private void fill(CocoGroundTruth gt, CocoResults results, Builder b, ParallelRunner runner)
      throws DatasetException {
    CocoDataset data = gt.dataset();
    List<CocoAnnotation> anns = data.annotations();
    for (int g = 0; g < gtId.length; g++) {
      int a = b.gtAnn.get(g);
      CocoAnnotation ann = anns.get(a);
      gtId[g] = ann.id();
      gtArea[g] = ann.area();
      gtCrowd[g] = ann.crowd();
      boolean ignore = ann.crowd();
      if (iouType == IouType.KEYPOINTS) {
        ignore = ignore || ann.keypoints() == null || gt.numKeypoints(a) == 0;
      }
      gtIgnore[g] = ignore;
      for (int c = 0; c < 4; c++) {
        gtBox[4 * g + c] = gt.boxValue(a, c);
      }
    }
    for (int d = 0; d < dtId.length; d++) {
      int r = b.dtIndex.get(d);
      dtId[d] = results.id(r);
      dtScore[d] = results.detections().get(r).score();
      dtArea[d] = results.area(r);
      for (int c = 0; c < 4; c++) {
        dtBox[4 * d + c] = results.boxValue(r, c);
      }
    }
    if (iouType == IouType.SEGM) {
      fillMasks(gt, results, b, runner);
    } else if (iouType == IouType.KEYPOINTS) {
      fillKeypoints(gt, results, b);
    }
  }

  private void fillMasks(CocoGroundTruth gt, CocoResults results, Builder b,
      ParallelRunner runner) throws DatasetException {
    CocoDataset data = gt.dataset();
    List<CocoAnnotation> anns = data.annotations();
    runner.forEach(gtId.length, g -> {
      CocoAnnotation ann = anns.get(b.gtAnn.get(g));
      CocoImage image = data.image(ann.imageId());
      if (ann.segmentation() == null) {
        throw new DatasetException(gt.source() + ": annotation id " + ann.id()
            + ": segm evaluation needs a segmentation, found none");
      }
      try {
        gtMask[g] = RleMasks.toRle(ann.segmentation(), image.height(), image.width());
      } catch (IllegalArgumentException e) {
        throw new DatasetException(gt.source() + ": annotation id " + ann.id()
            + ": segmentation: " + e.getMessage(), e);
      }
    });
    for (int d = 0; d < dtId.length; d++) {
      int r = b.dtIndex.get(d);
      if (!results.hasMask(r)) {
        throw new DatasetException(results.source() + ": results[" + r + "].segmentation: "
            + "segm evaluation needs a segmentation, found none");
      }
    }
  }

  /**
   * The mask of a detection, made when asked (decoded or rasterised) so that the masks of all
   * results are never held at once.
   */
  RleMask dtMask(int d) {
    int r = dtResult[d];
    return results.maskFor(r, dataset.image(results.detections().get(r).imageId()));
  }

  private void fillKeypoints(CocoGroundTruth gt, CocoResults results, Builder b)
      throws DatasetException {
    CocoDataset data = gt.dataset();
    List<CocoAnnotation> anns = data.annotations();
    for (int d = 0; d < dtId.length; d++) {
      int r = b.dtIndex.get(d);
      double[] kp = results.detections().get(r).keypointsView();
      if (kp == null) {
        throw new DatasetException(results.source() + ": results[" + r + "].keypoints: "
            + "keypoints evaluation needs keypoints, found none");
      }
      dtKeypoints[d] = kp;
    }
    for (int g = 0; g < gtId.length; g++) {
      CocoAnnotation ann = anns.get(b.gtAnn.get(g));
      if (ann.keypoints() != null) {
        List<Keypoint> pts = ann.keypoints().points();
        double[] flat = new double[3 * pts.size()];
        for (int j = 0; j < pts.size(); j++) {
          flat[3 * j] = pts.get(j).x();
          flat[3 * j + 1] = pts.get(j).y();
          flat[3 * j + 2] = pts.get(j).visibility().cocoFlag();
        }
        gtKeypoints[g] = flat;
      }
    }
    if (!params.useCats()) {
      return;
    }
    int imageCount = imgIds.length;
    for (int k = 0; k < catIds.length; k++) {
      int count = -1;
      int countSource = -1;
      for (int i = 0; i < imageCount; i++) {
        int u = k * imageCount + i;
        if (unitGt[u].length == 0 || unitDt[u].length == 0) {
          continue;
        }
        for (int d : unitDt[u]) {
          int c = dtKeypoints[d].length / 3;
          if (count < 0) {
            count = c;
            countSource = b.dtIndex.get(d);
          } else if (c != count) {
            throw new DatasetException(results.source() + ": results[" + b.dtIndex.get(d)
                + "].keypoints: expected " + 3 * count + " numbers like results[" + countSource
                + "] of the same category, found " + 3 * c);
          }
        }
        for (int g : unitGt[u]) {
          if (gtKeypoints[g] != null && gtKeypoints[g].length != 3 * count) {
            throw new DatasetException(gt.source() + ": annotation id " + gtId[g]
                + ": keypoints: expected " + 3 * count + " numbers like the results of its "
                + "category, found " + gtKeypoints[g].length);
          }
        }
      }
      if (count < 0) {
        continue;
      }
      double[] sigmas;
      try {
        sigmas = params.sigmasFor(catIds[k], count);
      } catch (IllegalArgumentException e) {
        throw new DatasetException(gt.source() + ": " + e.getMessage(), e);
      }
      double[] vars = new double[count];
      for (int j = 0; j < count; j++) {
        vars[j] = (sigmas[j] * 2) * (sigmas[j] * 2);
      }
      oksVariances[k] = vars;
    }
  }

  /** Collects which instances take part while units are assembled. */
  private static final class Builder {
    final CocoEvalParams params;
    long[] imgIds;
    int[] catIds;
    int[][] unitGt;
    int[][] unitDt;
    final IntList gtAnn = new IntList();
    final IntList dtIndex = new IntList();
    final CocoResults results;
    final CocoDataset dataset;

    Builder(CocoEvalParams params, CocoResults results, CocoDataset dataset) {
      this.params = params;
      this.results = results;
      this.dataset = dataset;
    }

    int addGt(int annotationIndex) {
      gtAnn.add(annotationIndex);
      return gtAnn.size() - 1;
    }

    int addDt(int resultIndex) {
      dtIndex.add(resultIndex);
      return dtIndex.size() - 1;
    }
  }

  /** A growable int array. */
  private static final class IntList {
    private int[] a = new int[64];
    private int n;

    void add(int v) {
      if (n == a.length) {
        a = Arrays.copyOf(a, n * 2);
      }
      a[n++] = v;
    }

    int get(int i) {
      return a[i];
    }

    int size() {
      return n;
    }

    int[] toArray() {
      return Arrays.copyOf(a, n);
    }
  }
}
