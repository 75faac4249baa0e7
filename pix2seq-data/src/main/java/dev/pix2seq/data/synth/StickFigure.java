package dev.pix2seq.data.synth;

import java.awt.geom.Area;
import java.util.SplittableRandom;

/**
 * A stick figure facing the viewer: a round head, a trapezoid torso, limbs as bars of one width
 * with round joints. Keypoints follow {@link SyntheticSceneGenerator#PERSON_KEYPOINTS}; the head
 * keypoint is the head's centre, the others lie on the limb axes, so each keypoint is inside the
 * figure.
 */
final class StickFigure {
  private static final int HEAD = 0;
  private static final int NECK = 1;
  private static final int L_SHOULDER = 2;
  private static final int R_SHOULDER = 3;
  private static final int L_ELBOW = 4;
  private static final int R_ELBOW = 5;
  private static final int L_HAND = 6;
  private static final int R_HAND = 7;
  private static final int L_HIP = 8;
  private static final int R_HIP = 9;
  private static final int L_KNEE = 10;
  private static final int R_KNEE = 11;
  private static final int L_FOOT = 12;
  private static final int R_FOOT = 13;

  private StickFigure() {}

  /**
   * Builds a figure of the given height whose head top is at {@code top}, centred on {@code cx};
   * fills {@code keypoints} (14 entries of x, y) and returns the figure's area.
   */
  static Area build(double cx, double top, double height, SplittableRandom random,
      double[][] keypoints) {
    double h = height;
    double width = Math.max(2.0, h * 0.07);
    double headR = h * 0.09;
    double neckY = top + 2 * headR + 0.04 * h;
    keypoints[HEAD] = new double[] {cx + random.nextDouble(-0.03, 0.03) * h, top + headR};
    keypoints[NECK] = new double[] {cx, neckY};
    double shoulderY = neckY + 0.03 * h;
    keypoints[L_SHOULDER] = new double[] {cx + 0.11 * h, shoulderY};
    keypoints[R_SHOULDER] = new double[] {cx - 0.11 * h, shoulderY};
    double hipY = neckY + 0.34 * h;
    keypoints[L_HIP] = new double[] {cx + 0.07 * h, hipY};
    keypoints[R_HIP] = new double[] {cx - 0.07 * h, hipY};
    limb(keypoints, L_SHOULDER, L_ELBOW, L_HAND, +1, 0.17 * h, 0.15 * h,
        random.nextDouble(0.1, 2.0), random.nextDouble(-0.6, 1.2));
    limb(keypoints, R_SHOULDER, R_ELBOW, R_HAND, -1, 0.17 * h, 0.15 * h,
        random.nextDouble(0.1, 2.0), random.nextDouble(-0.6, 1.2));
    limb(keypoints, L_HIP, L_KNEE, L_FOOT, +1, 0.23 * h, 0.22 * h,
        random.nextDouble(0.0, 0.45), random.nextDouble(-0.25, 0.25));
    limb(keypoints, R_HIP, R_KNEE, R_FOOT, -1, 0.23 * h, 0.22 * h,
        random.nextDouble(0.0, 0.45), random.nextDouble(-0.25, 0.25));

    int headSides = (int) Math.max(10, Math.min(32, Math.round(2 * Math.PI * headR / 2.5)));
    Area a = SyntheticSceneGenerator.regularPolygon(keypoints[HEAD][0], keypoints[HEAD][1],
        headR, headSides, 0);
    a.add(bar(keypoints[HEAD], keypoints[NECK], width));
    double[] ls = keypoints[L_SHOULDER];
    double[] rs = keypoints[R_SHOULDER];
    double[] lh = keypoints[L_HIP];
    double[] rh = keypoints[R_HIP];
    a.add(SyntheticSceneGenerator.polygon(0, 0, 0, ls[0], ls[1], lh[0], lh[1], rh[0], rh[1],
        rs[0], rs[1]));
    int[][] bars = {
      {L_SHOULDER, L_ELBOW}, {L_ELBOW, L_HAND}, {R_SHOULDER, R_ELBOW}, {R_ELBOW, R_HAND},
      {L_HIP, L_KNEE}, {L_KNEE, L_FOOT}, {R_HIP, R_KNEE}, {R_KNEE, R_FOOT}
    };
    for (int[] b : bars) {
      a.add(bar(keypoints[b[0]], keypoints[b[1]], width));
    }
    int[] joints = {
      NECK, L_SHOULDER, R_SHOULDER, L_ELBOW, R_ELBOW, L_HIP, R_HIP, L_KNEE, R_KNEE
    };
    for (int j : joints) {
      a.add(SyntheticSceneGenerator.regularPolygon(keypoints[j][0], keypoints[j][1], width / 2,
          8, 0));
    }
    int[] ends = {L_HAND, R_HAND, L_FOOT, R_FOOT};
    for (int j : ends) {
      a.add(SyntheticSceneGenerator.regularPolygon(keypoints[j][0], keypoints[j][1],
          width * 0.75, 8, 0));
    }
    return a;
  }

  /**
   * Places the two joints after {@code root}: the first segment leaves at {@code angle} from
   * straight down, turned outward to {@code side} (+1: image right), the second turns further by
   * {@code bend}.
   */
  private static void limb(double[][] kp, int root, int mid, int end, int side, double upper,
      double lower, double angle, double bend) {
    double[] r = kp[root];
    double[] m = {
      r[0] + side * upper * StrictMath.sin(angle), r[1] + upper * StrictMath.cos(angle)
    };
    double a2 = angle + bend;
    double[] e = {m[0] + side * lower * StrictMath.sin(a2), m[1] + lower * StrictMath.cos(a2)};
    kp[mid] = m;
    kp[end] = e;
  }

  /** A bar of the given width along the segment from p to q. */
  private static Area bar(double[] p, double[] q, double width) {
    double dx = q[0] - p[0];
    double dy = q[1] - p[1];
    double len = Math.sqrt(dx * dx + dy * dy);
    if (len < 1e-9) {
      return new Area();
    }
    double nx = -dy / len * width / 2;
    double ny = dx / len * width / 2;
    return SyntheticSceneGenerator.polygon(0, 0, 0, p[0] + nx, p[1] + ny, q[0] + nx, q[1] + ny,
        q[0] - nx, q[1] - ny, p[0] - nx, p[1] - ny);
  }
}
