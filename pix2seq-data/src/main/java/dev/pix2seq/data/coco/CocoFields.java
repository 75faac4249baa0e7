package dev.pix2seq.data.coco;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pix2seq.api.value.BoundingBox;
import dev.pix2seq.api.value.InstanceMask;
import dev.pix2seq.api.value.KeypointSchema;
import dev.pix2seq.api.value.Polygon;
import dev.pix2seq.api.value.PolygonMask;
import dev.pix2seq.api.value.RleMask;
import dev.pix2seq.data.coco.ReadReport.SkipReason;
import java.util.ArrayList;
import java.util.List;

/**
 * Typed readers for the fields of COCO JSON entries. Each checks one value and, when it is
 * not what COCO expects, throws an {@link EntryProblem} naming the path inside the entry, what
 * was expected and what was found.
 */
final class CocoFields {
  private static final double MAX_EXACT_LONG = 9007199254740992.0; // 2^53

  private CocoFields() {}

  static void requireObject(JsonNode n, SkipReason reason) throws EntryProblem {
    if (n == null || !n.isObject()) {
      throw new EntryProblem(reason, "", "expected an object, found " + describe(n));
    }
  }

  static long integer(JsonNode n, String path, SkipReason reason) throws EntryProblem {
    if (n != null && n.isNumber()) {
      if (n.isIntegralNumber() && n.canConvertToLong()) {
        return n.longValue();
      }
      if (n.isFloatingPointNumber()) {
        double d = n.doubleValue();
        if (d == Math.rint(d) && Math.abs(d) <= MAX_EXACT_LONG) {
          return (long) d;
        }
      }
    }
    throw new EntryProblem(reason, path, "expected an integer, found " + describe(n));
  }

  static int intValue(JsonNode n, String path, SkipReason reason) throws EntryProblem {
    long v = integer(n, path, reason);
    if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
      throw new EntryProblem(reason, path, "expected an integer in the int range, found " + v);
    }
    return (int) v;
  }

  static int positiveInt(JsonNode n, String path) throws EntryProblem {
    int v = intValue(n, path, SkipReason.BAD_FIELD);
    if (v <= 0) {
      throw new EntryProblem(SkipReason.BAD_FIELD, path, "expected a positive integer, found " + v);
    }
    return v;
  }

  static double number(JsonNode n, String path, SkipReason reason) throws EntryProblem {
    if (n == null || !n.isNumber() || !Double.isFinite(n.doubleValue())) {
      throw new EntryProblem(reason, path, "expected a finite number, found " + describe(n));
    }
    return n.doubleValue();
  }

  /** A non-blank string. */
  static String text(JsonNode n, String path, SkipReason reason) throws EntryProblem {
    if (n == null || !n.isTextual() || n.textValue().isBlank()) {
      throw new EntryProblem(reason, path, "expected a non-empty string, found " + describe(n));
    }
    return n.textValue();
  }

  /** Any string, empty allowed. */
  static String anyText(JsonNode n, String path) throws EntryProblem {
    if (n == null || !n.isTextual()) {
      throw new EntryProblem(SkipReason.BAD_FIELD, path, "expected a string, found " + describe(n));
    }
    return n.textValue();
  }

  static JsonNode array(JsonNode n, String path, SkipReason reason) throws EntryProblem {
    if (n == null || !n.isArray()) {
      throw new EntryProblem(reason, path, "expected an array, found " + describe(n));
    }
    return n;
  }

  static boolean crowd(JsonNode n) throws EntryProblem {
    if (n == null || n.isNull()) {
      return false;
    }
    if (n.isBoolean()) {
      return n.booleanValue();
    }
    long v = integer(n, ".iscrowd", SkipReason.BAD_FIELD);
    if (v != 0 && v != 1) {
      throw new EntryProblem(SkipReason.BAD_FIELD, ".iscrowd", "expected 0 or 1, found " + v);
    }
    return v == 1;
  }

  static BoundingBox bbox(JsonNode n) throws EntryProblem {
    if (n == null || !n.isArray() || n.size() != 4) {
      throw new EntryProblem(SkipReason.BAD_BBOX, ".bbox",
          "expected [x, y, width, height], found " + describe(n));
    }
    double[] v = new double[4];
    for (int i = 0; i < 4; i++) {
      v[i] = number(n.get(i), ".bbox[" + i + "]", SkipReason.BAD_BBOX);
    }
    if (v[2] < 0 || v[3] < 0) {
      throw new EntryProblem(SkipReason.BAD_BBOX, ".bbox",
          "expected width and height >= 0, found width " + n.get(2).asText() + ", height "
              + n.get(3).asText());
    }
    try {
      return BoundingBox.ofXywh(v[0], v[1], v[2], v[3]);
    } catch (IllegalArgumentException e) {
      throw new EntryProblem(SkipReason.BAD_BBOX, ".bbox", e.getMessage());
    }
  }

  static InstanceMask segmentation(JsonNode n) throws EntryProblem {
    if (n == null || n.isNull()) {
      return null;
    }
    if (n.isArray()) {
      List<Polygon> polygons = new ArrayList<>(n.size());
      for (int j = 0; j < n.size(); j++) {
        polygons.add(polygon(n.get(j), ".segmentation[" + j + "]"));
      }
      return new PolygonMask(polygons);
    }
    if (n.isObject()) {
      return rle(n);
    }
    throw new EntryProblem(SkipReason.BAD_SEGMENTATION, ".segmentation",
        "expected an array of polygons or an RLE object {\"size\": [h, w], \"counts\": ...}, "
            + "found " + describe(n));
  }

  static Polygon polygon(JsonNode n, String path) throws EntryProblem {
    if (n == null || !n.isArray()) {
      throw new EntryProblem(SkipReason.BAD_SEGMENTATION, path,
          "expected a polygon as a flat array [x1, y1, x2, y2, ...], found " + describe(n));
    }
    int count = n.size();
    if (count % 2 != 0) {
      throw new EntryProblem(SkipReason.BAD_SEGMENTATION, path,
          "expected an even count of numbers (x, y pairs), found " + count + " numbers");
    }
    if (count < 2 * Polygon.MIN_POINTS) {
      throw new EntryProblem(SkipReason.BAD_SEGMENTATION, path,
          "expected at least " + Polygon.MIN_POINTS + " points (" + 2 * Polygon.MIN_POINTS
              + " numbers), found " + count + " numbers");
    }
    double[] xy = new double[count];
    for (int k = 0; k < count; k++) {
      xy[k] = number(n.get(k), path + "[" + k + "]", SkipReason.BAD_SEGMENTATION);
    }
    return Polygon.ofXy(xy);
  }

  static RleMask rle(JsonNode n) throws EntryProblem {
    JsonNode size = n.get("size");
    if (size == null || !size.isArray() || size.size() != 2) {
      throw new EntryProblem(SkipReason.BAD_SEGMENTATION, ".segmentation.size",
          "expected [height, width], found " + describe(size));
    }
    int h = intValue(size.get(0), ".segmentation.size[0]", SkipReason.BAD_SEGMENTATION);
    int w = intValue(size.get(1), ".segmentation.size[1]", SkipReason.BAD_SEGMENTATION);
    if (h < 0 || w < 0) {
      throw new EntryProblem(SkipReason.BAD_SEGMENTATION, ".segmentation.size",
          "expected a non-negative [height, width], found [" + h + ", " + w + "]");
    }
    JsonNode counts = n.get("counts");
    try {
      if (counts != null && counts.isTextual()) {
        return RleMask.fromCompressed(counts.textValue(), h, w);
      }
      if (counts != null && counts.isArray()) {
        int[] runs = new int[counts.size()];
        for (int i = 0; i < runs.length; i++) {
          String path = ".segmentation.counts[" + i + "]";
          runs[i] = intValue(counts.get(i), path, SkipReason.BAD_SEGMENTATION);
          if (runs[i] < 0) {
            throw new EntryProblem(SkipReason.BAD_SEGMENTATION, path,
                "expected a non-negative run length, found " + runs[i]);
          }
        }
        return new RleMask(h, w, runs);
      }
    } catch (IllegalArgumentException e) {
      throw new EntryProblem(SkipReason.BAD_SEGMENTATION, ".segmentation.counts",
          "expected an RLE of size [" + h + ", " + w + "]: " + e.getMessage());
    }
    throw new EntryProblem(SkipReason.BAD_SEGMENTATION, ".segmentation.counts",
        "expected a compressed RLE string or an array of run lengths, found "
            + describe(counts));
  }

  static double[] keypointValues(JsonNode n) throws EntryProblem {
    if (n == null || n.isNull()) {
      return null;
    }
    if (!n.isArray()) {
      throw new EntryProblem(SkipReason.BAD_KEYPOINTS, ".keypoints",
          "expected a flat array [x1, y1, v1, ...], found " + describe(n));
    }
    double[] v = new double[n.size()];
    for (int i = 0; i < v.length; i++) {
      String path = ".keypoints[" + i + "]";
      v[i] = number(n.get(i), path, SkipReason.BAD_KEYPOINTS);
      if (i % 3 == 2 && v[i] != 0 && v[i] != 1 && v[i] != 2) {
        throw new EntryProblem(SkipReason.BAD_KEYPOINTS, path,
            "expected a visibility 0, 1 or 2, found " + n.get(i).asText());
      }
    }
    return v;
  }

  /** A short description of a JSON value for messages. */
  static String describe(JsonNode n) {
    if (n == null || n.isMissingNode()) {
      return "nothing (no such field)";
    }
    if (n.isNull()) {
      return "null";
    }
    if (n.isTextual()) {
      String t = n.textValue();
      return "the string \"" + (t.length() > 40 ? t.substring(0, 40) + "..." : t) + "\"";
    }
    if (n.isNumber()) {
      return "the number " + n.asText();
    }
    if (n.isBoolean()) {
      return "the boolean " + n.asText();
    }
    if (n.isArray()) {
      return "an array of " + n.size() + (n.size() == 1 ? " element" : " elements");
    }
    if (n.isObject()) {
      return "an object";
    }
    return n.getNodeType().toString().toLowerCase(java.util.Locale.ROOT);
  }

  /**
   * The keypoint layout of a category entry ({@code keypoints} names and 1-based
   * {@code skeleton} pairs, made 0-based), or null when it names no keypoints.
   */
  static KeypointSchema keypointSchema(JsonNode category) throws EntryProblem {
    JsonNode namesNode = category.get("keypoints");
    JsonNode skeletonNode = category.get("skeleton");
    boolean noNames = namesNode == null || namesNode.isNull()
        || (namesNode.isArray() && namesNode.isEmpty());
    boolean noSkeleton = skeletonNode == null || skeletonNode.isNull()
        || (skeletonNode.isArray() && skeletonNode.isEmpty());
    if (noNames) {
      if (!noSkeleton) {
        throw new EntryProblem(SkipReason.BAD_FIELD, ".skeleton",
            "expected no skeleton for a category without keypoint names, found "
                + describe(skeletonNode));
      }
      return null;
    }
    List<String> names = new ArrayList<>();
    int i = 0;
    for (JsonNode nameNode : array(namesNode, ".keypoints", SkipReason.BAD_FIELD)) {
      names.add(text(nameNode, ".keypoints[" + i + "]", SkipReason.BAD_FIELD));
      i++;
    }
    List<KeypointSchema.Edge> edges = new ArrayList<>();
    if (!noSkeleton) {
      int e = 0;
      for (JsonNode edge : array(skeletonNode, ".skeleton", SkipReason.BAD_FIELD)) {
        String path = ".skeleton[" + e + "]";
        if (!edge.isArray() || edge.size() != 2) {
          throw new EntryProblem(SkipReason.BAD_FIELD, path,
              "expected a pair [from, to] of 1-based keypoint numbers, found "
                  + describe(edge));
        }
        int from = intValue(edge.get(0), path + "[0]", SkipReason.BAD_FIELD);
        int to = intValue(edge.get(1), path + "[1]", SkipReason.BAD_FIELD);
        for (int end : new int[] {from, to}) {
          if (end < 1 || end > names.size()) {
            throw new EntryProblem(SkipReason.BAD_FIELD, path,
                "expected 1-based keypoint numbers in 1.." + names.size() + ", found ["
                    + from + ", " + to + "]");
          }
        }
        edges.add(new KeypointSchema.Edge(from - 1, to - 1));
        e++;
      }
    }
    try {
      return new KeypointSchema(names, edges);
    } catch (IllegalArgumentException ex) {
      throw new EntryProblem(SkipReason.BAD_FIELD, ".keypoints", ex.getMessage());
    }
  }
}
