package dev.pix2seq.eval.coco;

import java.util.Arrays;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The parameters of a COCO evaluation: pycocotools' {@code Params}, immutable. Defaults are
 * pycocotools' own: IoU thresholds {@code np.linspace(.5, .95, 10)} and recall thresholds
 * {@code np.linspace(0, 1, 101)} value for value (so {@code iouThrs[8]} is 0.8999999999999999),
 * maxDets 1/10/100 and areas all/small/medium/large for boxes and masks, maxDets 20 and areas
 * all/medium/large for keypoints, useCats on, all images and all categories of the ground truth.
 *
 * <pre>{@code
 * CocoEvalParams p = CocoEvalParams.builder(IouType.BBOX)
 *     .optUseCats(false)
 *     .optImgIds(List.of(42L, 73L))
 *     .build();
 * }</pre>
 *
 * <p>As in pycocotools' {@code evaluate()}: image ids are sorted and made unique; with useCats
 * category ids are sorted and made unique too (without it their order is kept: it orders the
 * pooled ground truth of an image); maxDets are sorted. Image ids that the ground truth lacks
 * are allowed and contribute nothing, as in pycocotools.
 *
 * <p><b>OKS sigmas.</b> For a keypoint category the evaluator uses, in order: the sigmas given
 * for that category ({@link Builder#optCategoryKptOksSigmas}), the sigmas given for all
 * categories ({@link Builder#optKptOksSigmas}), or, for a 17-keypoint category, the COCO person
 * sigmas ({@link #cocoPersonSigmas()}).
 */
public final class CocoEvalParams {
  private static final double[] COCO_PERSON_SIGMAS_TIMES_10 = {
    .26, .25, .25, .35, .35, .79, .79, .72, .72, .62, .62, 1.07, 1.07, .87, .87, .89, .89
  };

  private final IouType iouType;
  private final boolean useCats;
  private final long[] imgIds;
  private final int[] catIds;
  private final double[] iouThrs;
  private final double[] recThrs;
  private final int[] maxDets;
  private final List<AreaRange> areaRanges;
  private final double[] kptOksSigmas;
  private final Map<Integer, double[]> categoryKptOksSigmas;

  private CocoEvalParams(Builder b) {
    this.iouType = b.iouType;
    this.useCats = b.useCats;
    this.imgIds = b.imgIds;
    this.catIds = b.catIds;
    this.iouThrs = b.iouThrs;
    this.recThrs = b.recThrs;
    this.maxDets = b.maxDets;
    this.areaRanges = b.areaRanges;
    this.kptOksSigmas = b.kptOksSigmas;
    this.categoryKptOksSigmas = b.categoryKptOksSigmas;
  }

  /** pycocotools' defaults for this iouType. */
  public static CocoEvalParams defaults(IouType iouType) {
    return builder(iouType).build();
  }

  /** A builder starting from pycocotools' defaults for this iouType. */
  public static Builder builder(IouType iouType) {
    return new Builder(iouType);
  }

  /** A builder holding these parameters. */
  public Builder toBuilder() {
    Builder b = new Builder(iouType);
    b.useCats = useCats;
    b.imgIds = imgIds;
    b.catIds = catIds;
    b.iouThrs = iouThrs;
    b.recThrs = recThrs;
    b.maxDets = maxDets;
    b.areaRanges = areaRanges;
    b.kptOksSigmas = kptOksSigmas;
    b.categoryKptOksSigmas = categoryKptOksSigmas;
    return b;
  }

  /** pycocotools' {@code np.linspace(.5, 0.95, 10)}. */
  public static double[] defaultIouThresholds() {
    return NumpyArithmetic.linspace(.5, 0.95, 10);
  }

  /** pycocotools' {@code np.linspace(.0, 1.00, 101)}. */
  public static double[] defaultRecallThresholds() {
    return NumpyArithmetic.linspace(.0, 1.00, 101);
  }

  /** The COCO person OKS sigmas, computed as pycocotools does ({@code array([...]) / 10.0}). */
  public static double[] cocoPersonSigmas() {
    double[] s = new double[COCO_PERSON_SIGMAS_TIMES_10.length];
    for (int i = 0; i < s.length; i++) {
      s[i] = COCO_PERSON_SIGMAS_TIMES_10[i] / 10.0;
    }
    return s;
  }

  public IouType iouType() {
    return iouType;
  }

  /** Whether categories are evaluated separately (pycocotools' {@code useCats}). */
  public boolean useCats() {
    return useCats;
  }

  /** The image ids to evaluate, sorted and unique; empty: all images of the ground truth. */
  public Optional<long[]> imgIds() {
    return Optional.ofNullable(imgIds).map(long[]::clone);
  }

  /**
   * The category ids to evaluate (sorted and unique with useCats, else in the given order);
   * empty: all categories of the ground truth, sorted.
   */
  public Optional<int[]> catIds() {
    return Optional.ofNullable(catIds).map(int[]::clone);
  }

  /** IoU (or OKS) thresholds, T of them. */
  public double[] iouThrs() {
    return iouThrs.clone();
  }

  /** Recall thresholds, R of them. */
  public double[] recThrs() {
    return recThrs.clone();
  }

  /** Detections kept per image and category, ascending, M of them. */
  public int[] maxDets() {
    return maxDets.clone();
  }

  /** The area ranges, A of them. */
  public List<AreaRange> areaRanges() {
    return areaRanges;
  }

  /** OKS sigmas given for all categories, if any. */
  public Optional<double[]> kptOksSigmas() {
    return Optional.ofNullable(kptOksSigmas).map(double[]::clone);
  }

  /**
   * The OKS sigmas for a category with {@code keypointCount} keypoints, by the rule in the
   * class description.
   *
   * @throws IllegalArgumentException if none apply, or the given ones have another length
   */
  public double[] sigmasFor(int categoryId, int keypointCount) {
    double[] s = categoryKptOksSigmas.get(categoryId);
    String origin = "the sigmas given for category " + categoryId;
    if (s == null) {
      s = kptOksSigmas;
      origin = "the OKS sigmas given for all categories";
    }
    if (s == null) {
      if (keypointCount == COCO_PERSON_SIGMAS_TIMES_10.length) {
        return cocoPersonSigmas();
      }
      throw new IllegalArgumentException(
          "category " + categoryId + " has " + keypointCount + " keypoints: give its OKS sigmas "
              + "(the COCO person defaults cover 17 keypoints only)");
    }
    if (s.length != keypointCount) {
      throw new IllegalArgumentException(
          "category " + categoryId + " has " + keypointCount + " keypoints but " + origin
              + " number " + s.length);
    }
    return s.clone();
  }

  int iouThrCount() {
    return iouThrs.length;
  }

  double iouThr(int t) {
    return iouThrs[t];
  }

  int recThrCount() {
    return recThrs.length;
  }

  double recThr(int r) {
    return recThrs[r];
  }

  int maxDetCount() {
    return maxDets.length;
  }

  int maxDet(int m) {
    return maxDets[m];
  }

  long[] imgIdsOrNull() {
    return imgIds;
  }

  int[] catIdsOrNull() {
    return catIds;
  }

  @Override
  public String toString() {
    return "CocoEvalParams[iouType=" + iouType + ", useCats=" + useCats
        + ", imgIds=" + (imgIds == null ? "all" : imgIds.length + " ids")
        + ", catIds=" + (catIds == null ? "all" : Arrays.toString(catIds))
        + ", iouThrs=" + Arrays.toString(iouThrs) + ", recThrs=" + recThrs.length + " values"
        + ", maxDets=" + Arrays.toString(maxDets) + ", areaRanges=" + areaRanges + "]";
  }

  /**
   * Builds {@link CocoEvalParams}; starts from pycocotools' defaults for the iouType, every
   * {@code opt*} method overrides one of them. Arrays and collections are copied.
   */
  public static final class Builder {
    private final IouType iouType;
    private boolean useCats = true;
    private long[] imgIds;
    private int[] catIds;
    private double[] iouThrs = defaultIouThresholds();
    private double[] recThrs = defaultRecallThresholds();
    private int[] maxDets;
    private List<AreaRange> areaRanges;
    private double[] kptOksSigmas;
    private Map<Integer, double[]> categoryKptOksSigmas = Map.of();

    private Builder(IouType iouType) {
      if (iouType == null) {
        throw new IllegalArgumentException("iouType must not be null");
      }
      this.iouType = iouType;
      if (iouType == IouType.KEYPOINTS) {
        maxDets = new int[] {20};
        areaRanges = List.of(AreaRange.ALL, AreaRange.MEDIUM, AreaRange.LARGE);
      } else {
        maxDets = new int[] {1, 10, 100};
        areaRanges =
            List.of(AreaRange.ALL, AreaRange.SMALL, AreaRange.MEDIUM, AreaRange.LARGE);
      }
    }

    /** Evaluate categories separately (true, the default) or pooled (pycocotools useCats=0). */
    public Builder optUseCats(boolean useCats) {
      this.useCats = useCats;
      return this;
    }

    /** The images to evaluate; null: all images of the ground truth. */
    public Builder optImgIds(Collection<Long> ids) {
      if (ids == null) {
        imgIds = null;
        return this;
      }
      TreeSet<Long> sorted = new TreeSet<>();
      for (Long id : ids) {
        if (id == null) {
          throw new IllegalArgumentException("image ids must not contain null");
        }
        sorted.add(id);
      }
      imgIds = sorted.stream().mapToLong(Long::longValue).toArray();
      return this;
    }

    /** The categories to evaluate; null: all categories of the ground truth. */
    public Builder optCatIds(List<Integer> ids) {
      if (ids == null) {
        catIds = null;
        return this;
      }
      int[] a = new int[ids.size()];
      for (int i = 0; i < a.length; i++) {
        if (ids.get(i) == null) {
          throw new IllegalArgumentException("category ids must not contain null");
        }
        a[i] = ids.get(i);
      }
      catIds = a;
      return this;
    }

    /** IoU (or OKS) thresholds; default {@link #defaultIouThresholds()}. */
    public Builder optIouThrs(double... thresholds) {
      iouThrs = thresholds.clone();
      return this;
    }

    /** Recall thresholds; default {@link #defaultRecallThresholds()}. */
    public Builder optRecThrs(double... thresholds) {
      recThrs = thresholds.clone();
      return this;
    }

    /** Detections kept per image and category (sorted when built). */
    public Builder optMaxDets(int... maxDets) {
      this.maxDets = maxDets.clone();
      return this;
    }

    /** Area ranges with unique labels. */
    public Builder optAreaRanges(List<AreaRange> ranges) {
      areaRanges = List.copyOf(ranges);
      return this;
    }

    /** OKS sigmas for every keypoint category (pycocotools' {@code kpt_oks_sigmas}). */
    public Builder optKptOksSigmas(double... sigmas) {
      kptOksSigmas = sigmas == null ? null : sigmas.clone();
      return this;
    }

    /** OKS sigmas for one category, taking precedence over {@link #optKptOksSigmas}. */
    public Builder optCategoryKptOksSigmas(int categoryId, double... sigmas) {
      Map<Integer, double[]> m = new LinkedHashMap<>(categoryKptOksSigmas);
      m.put(categoryId, sigmas.clone());
      categoryKptOksSigmas = m;
      return this;
    }

    /**
     * Validates and builds.
     *
     * @throws IllegalArgumentException naming the first bad value
     */
    public CocoEvalParams build() {
      Builder b = copy();
      checkThresholds("iouThrs", b.iouThrs);
      checkThresholds("recThrs", b.recThrs);
      if (b.maxDets.length == 0) {
        throw new IllegalArgumentException("maxDets must not be empty");
      }
      b.maxDets = b.maxDets.clone();
      Arrays.sort(b.maxDets);
      for (int i = 0; i < b.maxDets.length; i++) {
        if (b.maxDets[i] < 1) {
          throw new IllegalArgumentException("maxDets must be >= 1, found " + b.maxDets[i]);
        }
        if (i > 0 && b.maxDets[i] == b.maxDets[i - 1]) {
          throw new IllegalArgumentException(
              "maxDets must be distinct, found " + b.maxDets[i] + " twice");
        }
      }
      if (iouType != IouType.KEYPOINTS && b.maxDets.length < 3) {
        throw new IllegalArgumentException(
            "maxDets for " + iouType + " needs 3 values (the summary reads maxDets[0..2] as "
                + "pycocotools does), found " + Arrays.toString(b.maxDets));
      }
      if (b.areaRanges.isEmpty()) {
        throw new IllegalArgumentException("areaRanges must not be empty");
      }
      Set<String> labels = new HashSet<>();
      for (AreaRange r : b.areaRanges) {
        if (!labels.add(r.label())) {
          throw new IllegalArgumentException(
              "area range labels must be unique, found '" + r.label() + "' twice");
        }
      }
      if (b.catIds != null) {
        if (useCats) {
          b.catIds = Arrays.stream(b.catIds).sorted().distinct().toArray();
        } else {
          Set<Integer> seen = new HashSet<>();
          for (int c : b.catIds) {
            if (!seen.add(c)) {
              throw new IllegalArgumentException(
                  "category ids must be distinct, found " + c + " twice");
            }
          }
        }
      }
      if (b.kptOksSigmas != null) {
        checkSigmas("kptOksSigmas", b.kptOksSigmas);
      }
      Map<Integer, double[]> perCategory = new LinkedHashMap<>();
      for (Map.Entry<Integer, double[]> e : b.categoryKptOksSigmas.entrySet()) {
        checkSigmas("OKS sigmas of category " + e.getKey(), e.getValue());
        perCategory.put(e.getKey(), e.getValue().clone());
      }
      b.categoryKptOksSigmas = Map.copyOf(perCategory);
      return new CocoEvalParams(b);
    }

    private Builder copy() {
      Builder b = new Builder(iouType);
      b.useCats = useCats;
      b.imgIds = imgIds == null ? null : imgIds.clone();
      b.catIds = catIds == null ? null : catIds.clone();
      b.iouThrs = iouThrs.clone();
      b.recThrs = recThrs.clone();
      b.maxDets = maxDets.clone();
      b.areaRanges = List.copyOf(areaRanges);
      b.kptOksSigmas = kptOksSigmas == null ? null : kptOksSigmas.clone();
      b.categoryKptOksSigmas = categoryKptOksSigmas;
      return b;
    }

    private static void checkThresholds(String name, double[] v) {
      if (v.length == 0) {
        throw new IllegalArgumentException(name + " must not be empty");
      }
      Set<Double> seen = new HashSet<>();
      for (double x : v) {
        if (!(x >= 0 && x <= 1)) {
          throw new IllegalArgumentException(name + " must lie in [0, 1], found " + x);
        }
        if (!seen.add(x)) {
          throw new IllegalArgumentException(name + " must be distinct, found " + x + " twice");
        }
      }
    }

    private static void checkSigmas(String name, double[] s) {
      if (s.length == 0) {
        throw new IllegalArgumentException(name + " must not be empty");
      }
      for (double x : s) {
        if (!(x > 0) || Double.isInfinite(x)) {
          throw new IllegalArgumentException(name + " must be positive and finite, found " + x);
        }
      }
    }
  }
}
