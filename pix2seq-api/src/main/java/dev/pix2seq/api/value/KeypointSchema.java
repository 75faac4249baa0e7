package dev.pix2seq.api.value;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The keypoint layout of a category: names in order and the skeleton edges (0-based indices;
 * COCO files store them 1-based). The keypoint count always comes from here, never a constant.
 *
 * @param names keypoint names, unique; copied
 * @param skeleton edges between keypoints, 0-based; copied
 */
public record KeypointSchema(List<String> names, List<Edge> skeleton) {

  /** A skeleton edge between two keypoints, by 0-based index. */
  public record Edge(int from, int to) {}

  public KeypointSchema {
    names = List.copyOf(names);
    skeleton = List.copyOf(skeleton);
    if (names.isEmpty()) {
      throw new IllegalArgumentException("a keypoint schema needs at least one keypoint name");
    }
    if (names.stream().distinct().count() != names.size()) {
      throw new IllegalArgumentException("keypoint names must be unique, found " + names);
    }
    for (Edge e : skeleton) {
      if (e.from() < 0 || e.from() >= names.size() || e.to() < 0 || e.to() >= names.size()) {
        throw new IllegalArgumentException(
            "skeleton edge " + e + " is outside 0.." + (names.size() - 1));
      }
    }
  }

  public int size() {
    return names.size();
  }

  /**
   * The permutation a horizontal flip applies: entry {@code i} is the index whose point moves
   * to slot {@code i}. Names starting with {@code left}/{@code right} (any case, any separator
   * such as {@code left_eye}, {@code l_eye}/{@code r_eye}) swap with their mirror; others stay.
   */
  public int[] flipPermutation() {
    Map<String, Integer> index = new HashMap<>();
    for (int i = 0; i < names.size(); i++) {
      index.put(names.get(i).toLowerCase(java.util.Locale.ROOT), i);
    }
    int[] perm = new int[names.size()];
    for (int i = 0; i < names.size(); i++) {
      perm[i] = i;
      String mirror = mirrorName(names.get(i).toLowerCase(java.util.Locale.ROOT));
      if (mirror != null && index.containsKey(mirror)) {
        perm[i] = index.get(mirror);
      }
    }
    return perm;
  }

  private static final String[][] PREFIX_MIRRORS = {
    {"left", "right"}, {"right", "left"}, {"l_", "r_"}, {"r_", "l_"}, {"l-", "r-"}, {"r-", "l-"}
  };
  private static final String[][] SUFFIX_MIRRORS = {
    {"_left", "_right"}, {"_right", "_left"}, {"_l", "_r"}, {"_r", "_l"}
  };

  private static String mirrorName(String n) {
    for (String[] p : PREFIX_MIRRORS) {
      if (n.startsWith(p[0])) {
        return p[1] + n.substring(p[0].length());
      }
    }
    for (String[] p : SUFFIX_MIRRORS) {
      if (n.endsWith(p[0])) {
        return n.substring(0, n.length() - p[0].length()) + p[1];
      }
    }
    return null;
  }
}
