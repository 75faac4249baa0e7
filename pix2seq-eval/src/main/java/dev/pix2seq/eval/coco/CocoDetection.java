package dev.pix2seq.eval.coco;

import dev.pix2seq.api.value.InstanceMask;
import java.util.Arrays;
import java.util.Objects;

/**
 * One entry of a COCO results list, as written: an image, a category, a score and any of a box,
 * a segmentation and keypoints. What pycocotools' {@code loadRes} derives from it (id, area, a
 * missing box) is computed by {@link CocoResults}.
 *
 * <p>Immutable: arrays are copied in and out. A compressed RLE read from a results file is kept
 * compressed, and {@link #segmentation()} decodes it on each call. Two detections are equal
 * when all fields are equal (arrays and masks by content, the score by {@link Double#compare}).
 */
public final class CocoDetection {
  private final long imageId;
  private final int categoryId;
  private final double score;
  private final double[] bbox;
  private final InstanceMask segmentation;
  private final CompressedMask compressed;
  private final double[] keypoints;

  /**
   * A results entry.
   *
   * @param imageId the image
   * @param categoryId the category
   * @param score confidence; finite
   * @param bbox {@code [x, y, width, height]} with width, height >= 0, or null
   * @param segmentation RLE or polygons in the image's pixels, or null
   * @param keypoints flat {@code [x1, y1, v1, ...]} (v is not used), or null
   * @throws IllegalArgumentException if the score is not finite, the box is not 4 finite
   *     numbers with width, height >= 0, or the keypoints are not finite x, y, v triples
   */
  public CocoDetection(long imageId, int categoryId, double score, double[] bbox,
      InstanceMask segmentation, double[] keypoints) {
    this(imageId, categoryId, score, bbox == null ? null : bbox.clone(), segmentation, null,
        keypoints == null ? null : keypoints.clone());
  }

  /** Validates and keeps the arrays as they are. */
  private CocoDetection(long imageId, int categoryId, double score, double[] bbox,
      InstanceMask segmentation, CompressedMask compressed, double[] keypoints) {
    if (!Double.isFinite(score)) {
      throw new IllegalArgumentException("score must be finite, found " + score);
    }
    if (bbox != null) {
      String problem = boxProblem(bbox);
      if (problem != null) {
        throw new IllegalArgumentException("bbox " + problem);
      }
    }
    if (keypoints != null) {
      String problem = keypointsProblem(keypoints);
      if (problem != null) {
        throw new IllegalArgumentException("keypoints " + problem);
      }
    }
    this.imageId = imageId;
    this.categoryId = categoryId;
    this.score = score;
    this.bbox = bbox;
    this.segmentation = segmentation;
    this.compressed = compressed;
    this.keypoints = keypoints;
  }

  /**
   * A detection that takes ownership of freshly made arrays (the reader's, never shared); the
   * segmentation is either a mask or a compressed one (or neither).
   */
  static CocoDetection owning(long imageId, int categoryId, double score, double[] bbox,
      InstanceMask segmentation, CompressedMask compressed, double[] keypoints) {
    return new CocoDetection(imageId, categoryId, score, bbox, segmentation, compressed,
        keypoints);
  }

  /** A box detection. */
  public static CocoDetection ofBox(
      long imageId, int categoryId, double score, double x, double y, double w, double h) {
    return new CocoDetection(imageId, categoryId, score, new double[] {x, y, w, h}, null, null);
  }

  /** A mask detection (a segm result without a box key). */
  public static CocoDetection ofMask(
      long imageId, int categoryId, double score, InstanceMask segmentation) {
    if (segmentation == null) {
      throw new IllegalArgumentException("segmentation must not be null");
    }
    return new CocoDetection(imageId, categoryId, score, null, segmentation, null);
  }

  /** A keypoint detection (a keypoints result without a box key). */
  public static CocoDetection ofKeypoints(
      long imageId, int categoryId, double score, double[] keypoints) {
    if (keypoints == null) {
      throw new IllegalArgumentException("keypoints must not be null");
    }
    return new CocoDetection(imageId, categoryId, score, null, null, keypoints);
  }

  public long imageId() {
    return imageId;
  }

  public int categoryId() {
    return categoryId;
  }

  public double score() {
    return score;
  }

  /** {@code [x, y, width, height]} (a copy), or null. */
  public double[] bbox() {
    return bbox == null ? null : bbox.clone();
  }

  /** The segmentation (a compressed RLE decoded anew on each call), or null. */
  public InstanceMask segmentation() {
    return compressed != null ? compressed.decode() : segmentation;
  }

  boolean hasSegmentation() {
    return segmentation != null || compressed != null;
  }

  /** The segmentation when it is not kept compressed, else null. */
  InstanceMask segmentationView() {
    return segmentation;
  }

  /** The compressed RLE read from a file, or null. */
  CompressedMask compressedMask() {
    return compressed;
  }

  /** Flat {@code [x1, y1, v1, ...]} (a copy), or null. */
  public double[] keypoints() {
    return keypoints == null ? null : keypoints.clone();
  }

  double bboxValue(int i) {
    return bbox[i];
  }

  boolean hasBbox() {
    return bbox != null;
  }

  double[] keypointsView() {
    return keypoints;
  }

  /** What is wrong with a box, or null. */
  static String boxProblem(double[] b) {
    if (b.length != 4) {
      return "must be [x, y, width, height], found " + b.length + " numbers";
    }
    for (double v : b) {
      if (!Double.isFinite(v)) {
        return "must be finite numbers, found " + Arrays.toString(b);
      }
    }
    if (b[2] < 0 || b[3] < 0) {
      return "needs width and height >= 0, found " + Arrays.toString(b);
    }
    return null;
  }

  /** What is wrong with a keypoint array, or null. */
  static String keypointsProblem(double[] k) {
    if (k.length < 3 || k.length % 3 != 0) {
      return "must be x, y, v triples, found " + k.length + " numbers";
    }
    for (double v : k) {
      if (!Double.isFinite(v)) {
        return "must be finite numbers";
      }
    }
    return null;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof CocoDetection d
        && d.imageId == imageId
        && d.categoryId == categoryId
        && Double.compare(d.score, score) == 0
        && Arrays.equals(d.bbox, bbox)
        && Objects.equals(d.segmentation(), segmentation())
        && Arrays.equals(d.keypoints, keypoints);
  }

  @Override
  public int hashCode() {
    return Objects.hash(imageId, categoryId, score, Arrays.hashCode(bbox), segmentation(),
        Arrays.hashCode(keypoints));
  }

  @Override
  public String toString() {
    return "CocoDetection[image " + imageId + ", category " + categoryId + ", score " + score
        + (bbox == null ? "" : ", bbox " + Arrays.toString(bbox))
        + (hasSegmentation() ? ", " + segmentation() : "")
        + (keypoints == null ? "" : ", " + keypoints.length / 3 + " keypoints") + "]";
  }
}
