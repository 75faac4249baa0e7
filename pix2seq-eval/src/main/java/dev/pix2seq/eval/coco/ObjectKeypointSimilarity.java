package dev.pix2seq.eval.coco;

/**
 * Object keypoint similarity as pycocotools' {@code computeOks} computes it:
 * {@code e = (dx² + dy²) / vars / (area + eps) / 2} per keypoint with {@code vars = (2 sigma)²},
 * OKS = mean of {@code exp(-e)} over the ground truth's labeled keypoints ({@code v > 0}); with
 * none labeled, distances are measured to the ground-truth box grown by its size on each side
 * and all keypoints count. Means use numpy's pairwise summation.
 */
final class ObjectKeypointSimilarity {
  private ObjectKeypointSimilarity() {}

  /** {@code [d][g]}: OKS of each detection with each ground truth. */
  static double[][] matrix(PreparedEvaluation p, int[] gt, int[] dt, double[] vars) {
    int k = vars.length;
    double[][] out = new double[dt.length][gt.length];
    double[] values = new double[k];
    for (int j = 0; j < gt.length; j++) {
      int g = gt[j];
      double[] kg = p.gtKeypoints[g];
      int labeled = 0;
      if (kg != null) {
        for (int q = 0; q < k; q++) {
          if (kg[3 * q + 2] > 0) {
            labeled++;
          }
        }
      }
      double bx = p.gtBox[4 * g];
      double by = p.gtBox[4 * g + 1];
      double bw = p.gtBox[4 * g + 2];
      double bh = p.gtBox[4 * g + 3];
      double x0 = bx - bw;
      double x1 = bx + bw * 2;
      double y0 = by - bh;
      double y1 = by + bh * 2;
      double areaPlusEps = p.gtArea[g] + NumpyArithmetic.SPACING_ONE;
      for (int i = 0; i < dt.length; i++) {
        double[] kd = p.dtKeypoints[dt[i]];
        int n = 0;
        for (int q = 0; q < k; q++) {
          double dx;
          double dy;
          double xd = kd[3 * q];
          double yd = kd[3 * q + 1];
          if (labeled > 0) {
            if (!(kg[3 * q + 2] > 0)) {
              continue;
            }
            dx = xd - kg[3 * q];
            dy = yd - kg[3 * q + 1];
          } else {
            dx = Math.max(0, x0 - xd) + Math.max(0, xd - x1);
            dy = Math.max(0, y0 - yd) + Math.max(0, yd - y1);
          }
          double e = (dx * dx + dy * dy) / vars[q] / areaPlusEps / 2;
          values[n++] = StrictMath.exp(-e);
        }
        out[i][j] = NumpyArithmetic.sum(values, 0, n) / n;
      }
    }
    return out;
  }
}
