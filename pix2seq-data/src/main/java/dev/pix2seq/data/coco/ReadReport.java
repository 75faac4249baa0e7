package dev.pix2seq.data.coco;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * What a lenient {@link CocoReader} skipped: the number of annotations dropped per reason and,
 * per reason, the full message of the first one. Empty after a strict read (which throws
 * instead of skipping).
 *
 * @param skipped annotations skipped per reason (only reasons with a count above 0); copied
 * @param firstProblem the message of the first skip per reason (file, JSON path, annotation
 *     id, expected and found); copied
 */
public record ReadReport(Map<SkipReason, Integer> skipped, Map<SkipReason, String> firstProblem) {

  /** Why an annotation (instance or caption) was skipped. */
  public enum SkipReason {
    /** A field is missing or has the wrong type or value (id, image_id, area, caption...). */
    BAD_FIELD,
    /** Its {@code id} repeats an earlier annotation's in the same file. */
    DUPLICATE_ID,
    /** Its {@code image_id} names no entry of {@code images}. */
    MISSING_IMAGE,
    /** Its {@code category_id} names no entry of {@code categories}. */
    MISSING_CATEGORY,
    /** Its {@code bbox} is not four finite numbers with non-negative width and height. */
    BAD_BBOX,
    /** A polygon has fewer than 3 points or an odd count, or an RLE is malformed. */
    BAD_SEGMENTATION,
    /** Its keypoints do not fit the category's keypoint names or have a bad visibility. */
    BAD_KEYPOINTS
  }

  public ReadReport {
    skipped = copy(skipped);
    firstProblem = copy(firstProblem);
    for (Map.Entry<SkipReason, Integer> e : skipped.entrySet()) {
      if (e.getValue() == null || e.getValue() <= 0) {
        throw new IllegalArgumentException(
            "skip count for " + e.getKey() + " must be positive, found " + e.getValue());
      }
    }
  }

  private static <V> Map<SkipReason, V> copy(Map<SkipReason, V> m) {
    EnumMap<SkipReason, V> out = new EnumMap<>(SkipReason.class);
    out.putAll(m);
    return Collections.unmodifiableMap(out);
  }

  /** A report of nothing skipped. */
  public static ReadReport empty() {
    return new ReadReport(Map.of(), Map.of());
  }

  /** Annotations skipped for this reason. */
  public int skipped(SkipReason reason) {
    return skipped.getOrDefault(reason, 0);
  }

  /** Annotations skipped for any reason. */
  public int totalSkipped() {
    return skipped.values().stream().mapToInt(Integer::intValue).sum();
  }

  /** Whether nothing was skipped. */
  public boolean isClean() {
    return skipped.isEmpty();
  }

  /** This report and another one together (counts added, the earlier first problem kept). */
  public ReadReport plus(ReadReport other) {
    EnumMap<SkipReason, Integer> counts = new EnumMap<>(SkipReason.class);
    counts.putAll(skipped);
    other.skipped.forEach((r, n) -> counts.merge(r, n, Integer::sum));
    EnumMap<SkipReason, String> first = new EnumMap<>(SkipReason.class);
    first.putAll(other.firstProblem);
    first.putAll(firstProblem);
    return new ReadReport(counts, first);
  }

  /** One line: {@code BAD_BBOX=2, MISSING_IMAGE=1}, or {@code nothing skipped}. */
  public String summary() {
    if (isClean()) {
      return "nothing skipped";
    }
    return skipped.entrySet().stream()
        .map(e -> e.getKey() + "=" + e.getValue())
        .collect(Collectors.joining(", "));
  }
}
