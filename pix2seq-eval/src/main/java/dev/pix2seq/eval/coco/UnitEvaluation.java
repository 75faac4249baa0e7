package dev.pix2seq.eval.coco;

/**
 * The evaluation of one unit (an image and a category, or an image without useCats) for every
 * area range: pycocotools' {@code evaluateImg} results for that image and category, kept
 * compact. Detections are in score order, truncated to the largest maxDets.
 */
final class UnitEvaluation {
  /** Detection state at one threshold: ignored (neither true nor false positive). */
  static final byte IGNORED = 0;
  /** Detection state: matched to a ground truth with a non-zero id, not ignored. */
  static final byte TRUE_POSITIVE = 1;
  /** Detection state: unmatched (or matched to id 0), not ignored. */
  static final byte FALSE_POSITIVE = 2;

  /** Detections (prepared indices), highest score first. */
  final int[] dt;
  /** Their scores. */
  final double[] scores;
  /** {@code [area][t * D + d]}: one of the three states. */
  final byte[][] states;
  /** {@code [area]}: ground truth that is not ignored. */
  final int[] nonIgnoredGt;
  /** Per-image details for inspection, or null. */
  final Detail detail;

  UnitEvaluation(int[] dt, double[] scores, byte[][] states, int[] nonIgnoredGt, Detail detail) {
    this.dt = dt;
    this.scores = scores;
    this.states = states;
    this.nonIgnoredGt = nonIgnoredGt;
    this.detail = detail;
  }

  /** What pycocotools keeps beyond the states, per area range. */
  static final class Detail {
    /** {@code [area]}: ground truth (prepared indices), not ignored first. */
    final int[][] gtOrder;
    /** {@code [area][g]}: whether gtOrder's g-th is ignored. */
    final boolean[][] gtIgnored;
    /** {@code [area][t * D + d]}: matched ground truth (prepared index) or -1. */
    final int[][] dtMatch;
    /** {@code [area][t * D + d]}: whether the detection is ignored. */
    final boolean[][] dtIgnored;
    /** {@code [area][t * G + g]}: matched detection (prepared index) or -1. */
    final int[][] gtMatch;

    Detail(int areas) {
      gtOrder = new int[areas][];
      gtIgnored = new boolean[areas][];
      dtMatch = new int[areas][];
      dtIgnored = new boolean[areas][];
      gtMatch = new int[areas][];
    }
  }
}
