package dev.pix2seq.eval.coco;

import dev.pix2seq.api.value.Category;
import dev.pix2seq.api.value.RleMask;
import dev.pix2seq.data.coco.CocoDataset;
import dev.pix2seq.data.coco.CocoImage;
import dev.pix2seq.api.mask.RleMasks;
import java.util.List;
import java.util.Optional;

/**
 * A results list prepared as pycocotools' {@code COCO.loadRes} prepares it: entry {@code i}
 * gets id {@code i + 1}, and the first entry decides how all are read ({@link Kind}):
 *
 * <ul>
 *   <li>{@link Kind#BOXES} when it has a non-empty {@code bbox}: every entry needs a box; area
 *       = box width x height (also for segm and keypoint evaluation); an entry without a
 *       segmentation gets its box as a polygon.
 *   <li>{@link Kind#MASKS} when it has a {@code segmentation}: every entry needs one; area = the
 *       mask's pixel count; a missing box is the mask's bounding box.
 *   <li>{@link Kind#KEYPOINTS} when it has {@code keypoints}: every entry needs them; the box is
 *       their extent (over all keypoints, labeled or not) and the area the box's.
 * </ul>
 *
 * <p>Every entry must name an image of the ground truth, and keypoints must number three times
 * their category's keypoint names. An entry whose category the ground truth lacks is kept and
 * never evaluated, as pycocotools does (its COCOeval gathers detections per category of the
 * ground truth, with or without useCats), and reported in {@link #warnings()}; {@link
 * #strict} refuses such entries instead. Polygons and uncompressed RLE are accepted
 * as segmentations too (pycocotools reads only compressed RLE there); an RLE's size must be its
 * image's {@code [height, width]}. An empty list is allowed and evaluates to pycocotools'
 * answer for no detections.
 *
 * <pre>{@code
 * CocoResults r = CocoResults.of(gt, List.of(CocoDetection.ofBox(42, 1, 0.9, 10, 20, 30, 40)));
 * }</pre>
 *
 * <p>Immutable and thread safe.
 */
public final class CocoResults {

  /** How the entries were read, decided by the first entry (pycocotools' loadRes branches). */
  public enum Kind {
    /** The first entry has a non-empty {@code bbox}. */
    BOXES,
    /** The first entry has no box but a {@code segmentation}. */
    MASKS,
    /** The first entry has neither but {@code keypoints}. */
    KEYPOINTS
  }

  private final CocoGroundTruth groundTruth;
  private final List<CocoDetection> detections;
  private final String source;
  private final Kind kind;
  private final double[] areas;
  private final double[] boxes;
  private final List<String> warnings;

  private CocoResults(CocoGroundTruth groundTruth, List<CocoDetection> detections,
      String source, Kind kind, double[] areas, double[] boxes, List<String> warnings) {
    this.groundTruth = groundTruth;
    this.detections = detections;
    this.source = source;
    this.kind = kind;
    this.areas = areas;
    this.boxes = boxes;
    this.warnings = List.copyOf(warnings);
  }

  /**
   * Prepares results given in memory.
   *
   * @throws IllegalArgumentException naming the entry index and field when an entry is
   *     unusable (unknown image or category, missing field, wrong keypoint count, RLE size)
   */
  public static CocoResults of(CocoGroundTruth gt, List<CocoDetection> detections) {
    return prepare(gt, detections, false);
  }

  /**
   * {@link #of} that also refuses entries whose category the ground truth lacks.
   *
   * @throws IllegalArgumentException as {@link #of}, and for an unknown category
   */
  public static CocoResults strict(CocoGroundTruth gt, List<CocoDetection> detections) {
    return prepare(gt, detections, true);
  }

  private static CocoResults prepare(CocoGroundTruth gt, List<CocoDetection> detections,
      boolean strict) {
    if (gt == null || detections == null) {
      throw new IllegalArgumentException("ground truth and detections must not be null");
    }
    try {
      return load(gt, detections, "results", strict);
    } catch (EntryProblem e) {
      throw new IllegalArgumentException(e.message("results"), e);
    }
  }

  static CocoResults load(CocoGroundTruth gt, List<CocoDetection> detections, String source,
      boolean strict) throws EntryProblem {
    List<CocoDetection> dets = List.copyOf(detections);
    int n = dets.size();
    double[] areas = new double[n];
    double[] boxes = new double[4 * n];
    if (n == 0) {
      return new CocoResults(gt, dets, source, null, areas, boxes, List.of());
    }
    java.util.SortedSet<Integer> unknownCategories = new java.util.TreeSet<>();
    int unknownEntries = 0;
    CocoDataset data = gt.dataset();
    CocoDetection first = dets.get(0);
    Kind kind;
    if (first.hasBbox()) {
      kind = Kind.BOXES;
    } else if (first.hasSegmentation()) {
      kind = Kind.MASKS;
    } else if (first.keypointsView() != null) {
      kind = Kind.KEYPOINTS;
    } else {
      throw new EntryProblem(0, "",
          "expected a bbox, a segmentation or keypoints (the first entry decides how all "
              + "entries are read), found none");
    }
    for (int i = 0; i < n; i++) {
      CocoDetection d = dets.get(i);
      CocoImage image = data.image(d.imageId());
      if (image == null) {
        throw new EntryProblem(i, ".image_id",
            "expected the id of an image of the ground truth, found " + d.imageId());
      }
      Category category = data.category(d.categoryId());
      if (category == null) {
        if (strict) {
          throw new EntryProblem(i, ".category_id",
              "expected the id of a category of the ground truth, found " + d.categoryId());
        }
        unknownCategories.add(d.categoryId());
        unknownEntries++;
      }
      double[] kp = d.keypointsView();
      if (kp != null && category != null && category.keypoints() != null
          && kp.length != 3 * category.keypoints().size()) {
        throw new EntryProblem(i, ".keypoints",
            "expected " + 3 * category.keypoints().size() + " numbers (x, y, v for each of the "
                + category.keypoints().size() + " keypoints of category " + category.id()
                + " '" + category.name() + "'), found " + kp.length);
      }
      CompressedMask packed = d.compressedMask();
      int maskHeight = packed != null ? packed.height()
          : d.segmentationView() instanceof RleMask r ? r.height() : image.height();
      int maskWidth = packed != null ? packed.width()
          : d.segmentationView() instanceof RleMask r ? r.width() : image.width();
      if (maskHeight != image.height() || maskWidth != image.width()) {
        throw new EntryProblem(i, ".segmentation.size",
            "expected [" + image.height() + ", " + image.width() + "] ([height, width] of image "
                + image.id() + "), found [" + maskHeight + ", " + maskWidth + "]");
      }
      switch (kind) {
        case BOXES -> {
          if (!d.hasBbox()) {
            throw new EntryProblem(i, ".bbox", "expected a box (entry 0 has one, so results "
                + "are read as boxes), found none");
          }
          for (int c = 0; c < 4; c++) {
            boxes[4 * i + c] = d.bboxValue(c);
          }
          areas[i] = d.bboxValue(2) * d.bboxValue(3);
        }
        case MASKS -> {
          if (!d.hasSegmentation()) {
            throw new EntryProblem(i, ".segmentation", "expected a segmentation (entry 0 has "
                + "one and no bbox, so results are read as masks), found none");
          }
          double[] b;
          if (packed != null) {
            areas[i] = packed.area();
            b = packed.box();
          } else {
            RleMask rle = toRle(d, image, i);
            areas[i] = rle.area();
            b = RleMasks.toBbox(rle);
          }
          System.arraycopy(d.hasBbox() ? d.bbox() : b, 0, boxes, 4 * i, 4);
        }
        case KEYPOINTS -> {
          if (kp == null) {
            throw new EntryProblem(i, ".keypoints", "expected keypoints (entry 0 has them and "
                + "neither bbox nor segmentation, so results are read as keypoints), found none");
          }
          double x0 = Double.POSITIVE_INFINITY;
          double x1 = Double.NEGATIVE_INFINITY;
          double y0 = Double.POSITIVE_INFINITY;
          double y1 = Double.NEGATIVE_INFINITY;
          for (int k = 0; k < kp.length; k += 3) {
            x0 = Math.min(x0, kp[k]);
            x1 = Math.max(x1, kp[k]);
            y0 = Math.min(y0, kp[k + 1]);
            y1 = Math.max(y1, kp[k + 1]);
          }
          areas[i] = (x1 - x0) * (y1 - y0);
          boxes[4 * i] = x0;
          boxes[4 * i + 1] = y0;
          boxes[4 * i + 2] = x1 - x0;
          boxes[4 * i + 3] = y1 - y0;
        }
        default -> throw new IllegalStateException("unknown kind " + kind);
      }
    }
    List<String> warnings = unknownEntries == 0 ? List.of() : List.of(source + ": "
        + unknownEntries + " of " + n + " results name categories the ground truth lacks "
        + unknownCategories + "; they are kept and never evaluated, as pycocotools does");
    return new CocoResults(gt, dets, source, kind, areas, boxes, warnings);
  }

  /**
   * What was accepted although pycocotools would only accept it silently (results of unknown
   * categories), one line per kind; empty when nothing was odd.
   */
  public List<String> warnings() {
    return warnings;
  }

  private static RleMask toRle(CocoDetection d, CocoImage image, int index) throws EntryProblem {
    try {
      return RleMasks.toRle(d.segmentationView(), image.height(), image.width());
    } catch (IllegalArgumentException e) {
      throw new EntryProblem(index, ".segmentation", e.getMessage());
    }
  }

  /** The ground truth the results were prepared against. */
  public CocoGroundTruth groundTruth() {
    return groundTruth;
  }

  /** The entries, in the given order. */
  public List<CocoDetection> detections() {
    return detections;
  }

  public int size() {
    return detections.size();
  }

  /** How the entries were read; empty for an empty list. */
  public Optional<Kind> kind() {
    return Optional.ofNullable(kind);
  }

  /** Where the results came from (a file name, or "results"). */
  public String source() {
    return source;
  }

  /** The id pycocotools gives entry {@code i}: {@code i + 1}. */
  public long id(int i) {
    return i + 1L;
  }

  /** The area pycocotools gives entry {@code i} (see the class description). */
  public double area(int i) {
    return areas[i];
  }

  /** The box {@code [x, y, w, h]} of entry {@code i}, given or derived. */
  public double[] bbox(int i) {
    double[] b = new double[4];
    System.arraycopy(boxes, 4 * i, b, 0, 4);
    return b;
  }

  double boxValue(int i, int coordinate) {
    return boxes[4 * i + coordinate];
  }

  /** Whether entry {@code i} has a mask for segm evaluation (its own, or its box's). */
  boolean hasMask(int i) {
    return detections.get(i).hasSegmentation() || kind == Kind.BOXES;
  }

  /**
   * The mask of entry {@code i} for segm evaluation, as pycocotools' {@code annToRLE} builds
   * it: the segmentation (decoded, or rasterised if polygons), or the box as a polygon when
   * there is none. Made anew on each call.
   *
   * @throws IllegalStateException if the entry has no mask ({@link #hasMask} is false)
   */
  RleMask maskFor(int i, CocoImage image) {
    CocoDetection d = detections.get(i);
    if (d.compressedMask() != null) {
      return d.compressedMask().decode();
    }
    if (d.segmentationView() != null) {
      return RleMasks.toRle(d.segmentationView(), image.height(), image.width());
    }
    if (kind == Kind.BOXES) {
      return RleMasks.fromBbox(bbox(i), image.height(), image.width());
    }
    throw new IllegalStateException("results[" + i + "] has no segmentation");
  }

  /** A problem with one entry, located by index and field path. */
  static final class EntryProblem extends Exception {
    private static final long serialVersionUID = 1L;
    private final int index;
    private final String field;

    EntryProblem(int index, String field, String detail) {
      super(detail);
      this.index = index;
      this.field = field;
    }

    /** {@code list[index].field: detail}. */
    String message(String list) {
      return list + "[" + index + "]" + field + ": " + getMessage();
    }
  }
}
