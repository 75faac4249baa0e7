package dev.pix2seq.eval.coco;

import dev.pix2seq.api.value.RleMask;
import dev.pix2seq.api.mask.RleMasks;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * pycocotools' {@code computeIoU}/{@code computeOks} and {@code evaluateImg} for one unit and
 * all area ranges: detections sorted by score (stable) and cut to the largest maxDets, the
 * IoU/OKS matrix, then for each area range and threshold the greedy matching in score order.
 * Stateless; one call per unit, safe to run in parallel.
 */
final class ImageMatcher {
  private static final double MAX_IOU_THRESHOLD = 1 - 1e-10;

  private ImageMatcher() {}

  /** The unit's evaluation, or null when it has neither ground truth nor detections. */
  static UnitEvaluation evaluate(PreparedEvaluation p, int unit, boolean keepDetail) {
    int[] gt = p.unitGt[unit];
    int[] allDt = p.unitDt[unit];
    if (gt.length == 0 && allDt.length == 0) {
      return null;
    }
    CocoEvalParams params = p.params;
    int[] dt = ScoreOrder.descending(allDt, p.dtScore);
    int maxDet = params.maxDet(params.maxDetCount() - 1);
    if (dt.length > maxDet) {
      dt = Arrays.copyOf(dt, maxDet);
    }
    int nd = dt.length;
    int ng = gt.length;
    double[] scores = new double[nd];
    for (int d = 0; d < nd; d++) {
      scores[d] = p.dtScore[dt[d]];
    }
    double[][] ious = nd == 0 || ng == 0 ? null : overlaps(p, unit, gt, dt);

    List<AreaRange> areas = params.areaRanges();
    int areaCount = areas.size();
    int thresholds = params.iouThrCount();
    byte[][] states = new byte[areaCount][];
    int[] nonIgnored = new int[areaCount];
    UnitEvaluation.Detail detail = keepDetail ? new UnitEvaluation.Detail(areaCount) : null;

    boolean[] ignored = new boolean[ng];
    int[] order = new int[ng];
    boolean[] sortedIgnored = new boolean[ng];
    boolean[] gtMatched = new boolean[ng];
    boolean[] dtOutside = new boolean[nd];
    for (int a = 0; a < areaCount; a++) {
      AreaRange range = areas.get(a);
      int kept = 0;
      for (int g = 0; g < ng; g++) {
        ignored[g] = p.gtIgnore[gt[g]] || range.excludes(p.gtArea[gt[g]]);
        if (!ignored[g]) {
          kept++;
        }
      }
      nonIgnored[a] = kept;
      int front = 0;
      int back = kept;
      for (int g = 0; g < ng; g++) {
        if (ignored[g]) {
          order[back] = g;
          sortedIgnored[back++] = true;
        } else {
          order[front] = g;
          sortedIgnored[front++] = false;
        }
      }
      for (int d = 0; d < nd; d++) {
        dtOutside[d] = range.excludes(p.dtArea[dt[d]]);
      }
      byte[] st = new byte[thresholds * nd];
      int[] dtMatch = keepDetail ? new int[thresholds * nd] : null;
      boolean[] dtIg = keepDetail ? new boolean[thresholds * nd] : null;
      int[] gtMatch = keepDetail ? new int[thresholds * ng] : null;
      if (keepDetail) {
        Arrays.fill(dtMatch, -1);
        Arrays.fill(gtMatch, -1);
      }
      for (int t = 0; t < thresholds; t++) {
        Arrays.fill(gtMatched, false);
        double threshold = Math.min(params.iouThr(t), MAX_IOU_THRESHOLD);
        for (int d = 0; d < nd; d++) {
          int m = -1;
          if (ious != null) {
            double best = threshold;
            double[] row = ious[d];
            for (int j = 0; j < ng; j++) {
              int g = order[j];
              if (gtMatched[j] && !p.gtCrowd[gt[g]]) {
                continue;
              }
              if (m > -1 && !sortedIgnored[m] && sortedIgnored[j]) {
                break;
              }
              if (row[g] < best) {
                continue;
              }
              best = row[g];
              m = j;
            }
          }
          boolean ignore = false;
          boolean matchedNonZero = false;
          if (m > -1) {
            ignore = sortedIgnored[m];
            matchedNonZero = p.gtId[gt[order[m]]] != 0;
            gtMatched[m] = true;
            if (keepDetail) {
              dtMatch[t * nd + d] = gt[order[m]];
              gtMatch[t * ng + m] = dt[d];
            }
          }
          if (!matchedNonZero && dtOutside[d]) {
            ignore = true;
          }
          st[t * nd + d] = ignore ? UnitEvaluation.IGNORED
              : matchedNonZero ? UnitEvaluation.TRUE_POSITIVE : UnitEvaluation.FALSE_POSITIVE;
          if (keepDetail) {
            dtIg[t * nd + d] = ignore;
          }
        }
      }
      states[a] = st;
      if (keepDetail) {
        int[] gtOrder = new int[ng];
        for (int j = 0; j < ng; j++) {
          gtOrder[j] = gt[order[j]];
        }
        detail.gtOrder[a] = gtOrder;
        detail.gtIgnored[a] = sortedIgnored.clone();
        detail.dtMatch[a] = dtMatch;
        detail.dtIgnored[a] = dtIg;
        detail.gtMatch[a] = gtMatch;
      }
    }
    return new UnitEvaluation(dt, scores, states, nonIgnored, detail);
  }

  /** {@code [d][g]}: IoU or OKS of each detection (score order) with each ground truth. */
  static double[][] overlaps(PreparedEvaluation p, int unit, int[] gt, int[] dt) {
    boolean[] crowd = new boolean[gt.length];
    for (int g = 0; g < gt.length; g++) {
      crowd[g] = p.gtCrowd[gt[g]];
    }
    switch (p.iouType) {
      case BBOX -> {
        List<double[]> d = new ArrayList<>(dt.length);
        for (int i : dt) {
          d.add(new double[] {p.dtBox[4 * i], p.dtBox[4 * i + 1], p.dtBox[4 * i + 2],
              p.dtBox[4 * i + 3]});
        }
        List<double[]> g = new ArrayList<>(gt.length);
        for (int i : gt) {
          g.add(new double[] {p.gtBox[4 * i], p.gtBox[4 * i + 1], p.gtBox[4 * i + 2],
              p.gtBox[4 * i + 3]});
        }
        return RleMasks.boxIou(d, g, crowd);
      }
      case SEGM -> {
        List<RleMask> d = new ArrayList<>(dt.length);
        for (int i : dt) {
          d.add(p.dtMask(i));
        }
        List<RleMask> g = new ArrayList<>(gt.length);
        for (int i : gt) {
          g.add(p.gtMask[i]);
        }
        return RleMasks.iou(d, g, crowd);
      }
      case KEYPOINTS -> {
        if (!p.params.useCats()) {
          // pycocotools' computeOks reads _gts[imgId, -1] without useCats: always empty, so
          // keypoint detections never match when categories are pooled.
          return null;
        }
        int k = unit / p.imageCount();
        return ObjectKeypointSimilarity.matrix(p, gt, dt, p.oksVariances[k]);
      }
      default -> throw new IllegalStateException("unknown iouType " + p.iouType);
    }
  }
}
